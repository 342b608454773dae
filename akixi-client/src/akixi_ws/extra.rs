//! What a payload carried that the spec does not know.

use super::write::RequestWriter;

/// An ordered collection of properties and containers the spec does not describe.
///
/// Generated response types keep unknown properties and containers here, so a newer server
/// never breaks an older client and nothing it said is lost. Order and repetitions are kept
/// as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra {
    items: Vec<ExtraItem>,
}

/// One property or container kept in an [`Extra`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtraItem {
    /// `<Property Name="name">value</Property>`.
    Property {
        /// The `Name` attribute.
        name: String,
        /// The text, exactly as received.
        value: String,
    },
    /// `<Container Name="name">…</Container>`, or an unnamed list entry.
    Container {
        /// The `Name` attribute, if any.
        name: Option<String>,
        /// What the container holds.
        items: Extra,
    },
}

impl Extra {
    /// An empty collection.
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// Whether nothing was kept.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many items (properties and containers) were kept at this level.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The items in document order.
    pub fn items(&self) -> &[ExtraItem] {
        &self.items
    }

    /// Iterates over the items in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, ExtraItem> {
        self.items.iter()
    }

    /// Appends an item.
    pub fn push(&mut self, item: ExtraItem) {
        self.items.push(item);
    }

    /// Appends a property.
    pub fn push_property(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.items.push(ExtraItem::Property {
            name: name.into(),
            value: value.into(),
        });
    }

    /// Appends a container.
    pub fn push_container(&mut self, name: Option<String>, items: Extra) {
        self.items.push(ExtraItem::Container { name, items });
    }

    /// The value of the first property called `name` at this level.
    pub fn property(&self, name: &str) -> Option<&str> {
        self.items.iter().find_map(|item| match item {
            ExtraItem::Property { name: n, value } if n == name => Some(value.as_str()),
            _ => None,
        })
    }

    /// The first container called `name` at this level.
    pub fn container(&self, name: &str) -> Option<&Extra> {
        self.items.iter().find_map(|item| match item {
            ExtraItem::Container {
                name: Some(n),
                items,
            } if n == name => Some(items),
            _ => None,
        })
    }

    /// The unnamed containers (list entries) at this level.
    pub fn entries(&self) -> impl Iterator<Item = &Extra> {
        self.items.iter().filter_map(|item| match item {
            ExtraItem::Container { name: None, items } => Some(items),
            _ => None,
        })
    }

    /// Writes the items back as request payload, for pass-through or round trips.
    pub fn write_to(&self, writer: &mut RequestWriter) {
        // Iterative so that a deep tree cannot exhaust the stack.
        let mut stack = vec![self.items.iter()];
        while let Some(level) = stack.last_mut() {
            match level.next() {
                Some(ExtraItem::Property { name, value }) => {
                    writer.property(name, value);
                }
                Some(ExtraItem::Container { name, items }) => {
                    match name {
                        Some(name) => writer.begin_container(name),
                        None => writer.begin_unnamed_container(),
                    };
                    stack.push(items.items.iter());
                }
                None => {
                    stack.pop();
                    if !stack.is_empty() {
                        writer.end_container();
                    }
                }
            }
        }
    }
}

impl<'e> IntoIterator for &'e Extra {
    type Item = &'e ExtraItem;
    type IntoIter = std::slice::Iter<'e, ExtraItem>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl IntoIterator for Extra {
    type Item = ExtraItem;
    type IntoIter = std::vec::IntoIter<ExtraItem>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<ExtraItem> for Extra {
    fn from_iter<I: IntoIterator<Item = ExtraItem>>(iter: I) -> Self {
        Self {
            items: iter.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Extra {
        let mut scope = Extra::new();
        scope.push_property("TelSysID", "1");
        let mut entry = Extra::new();
        entry.push_property("Username", "a");
        let mut extra = Extra::new();
        extra.push_property("New", "x");
        extra.push_property("New", "y");
        extra.push_container(Some("Scope".into()), scope);
        extra.push_container(None, entry);
        extra
    }

    #[test]
    fn lookups() {
        let extra = sample();
        assert_eq!(extra.len(), 4);
        assert_eq!(extra.property("New"), Some("x"));
        assert_eq!(extra.property("Old"), None);
        assert_eq!(
            extra
                .container("Scope")
                .and_then(|s| s.property("TelSysID")),
            Some("1")
        );
        assert_eq!(extra.entries().count(), 1);
        assert_eq!((&extra).into_iter().count(), 4);
    }

    #[test]
    fn writes_back_in_order() {
        let mut w = RequestWriter::new("Op");
        sample().write_to(&mut w);
        assert_eq!(
            w.finish(),
            "<Request Operation=\"Op\"><OperationPayload><Property Name=\"New\">x</Property>\
             <Property Name=\"New\">y</Property><Container Name=\"Scope\">\
             <Property Name=\"TelSysID\">1</Property></Container><Container>\
             <Property Name=\"Username\">a</Property></Container></OperationPayload></Request>"
        );
    }
}
