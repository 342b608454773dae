//! What a change does to each audience: [`Effect`] (none, additive, breaking), [`Audience`]
//! (the generated API, the wire, the simulator) and [`Impact`] (one effect per audience).

/// What a change does to one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// It does not touch the audience.
    None,
    /// It only adds: everything that worked still works.
    Additive,
    /// Something that worked may no longer work.
    Breaking,
}

impl Effect {
    /// The word the reports use: `none`, `additive` or `breaking`.
    pub fn name(self) -> &'static str {
        match self {
            Effect::None => "none",
            Effect::Additive => "additive",
            Effect::Breaking => "breaking",
        }
    }
}

/// Who a change may affect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The generated Rust API.
    Api,
    /// What is sent and accepted on the wire.
    Wire,
    /// What the simulator accepts and answers.
    Simulator,
}

impl Audience {
    /// Every audience, in report order.
    pub const ALL: [Audience; 3] = [Audience::Api, Audience::Wire, Audience::Simulator];

    /// The word the reports use: `api`, `wire` or `simulator`.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Api => "api",
            Audience::Wire => "wire",
            Audience::Simulator => "simulator",
        }
    }
}

/// What a change does to each audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Impact {
    /// To the generated API.
    pub api: Effect,
    /// To the wire.
    pub wire: Effect,
    /// To the simulator.
    pub simulator: Effect,
}

impl Impact {
    /// The effect on `audience`.
    pub fn on(&self, audience: Audience) -> Effect {
        match audience {
            Audience::Api => self.api,
            Audience::Wire => self.wire,
            Audience::Simulator => self.simulator,
        }
    }

    /// The strongest effect on any audience.
    pub fn worst(&self) -> Effect {
        self.api.max(self.wire).max(self.simulator)
    }

    /// Whether the change breaks any audience.
    pub fn is_breaking(&self) -> bool {
        self.worst() == Effect::Breaking
    }
}
