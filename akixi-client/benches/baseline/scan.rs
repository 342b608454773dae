//! The floor of any decoder built on quick-xml: a `Reader` loop that reads every event of the
//! document and builds nothing (the same reader configuration the codec uses).

use quick_xml::Reader;
use quick_xml::events::Event;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Reads every event; returns how many there were.
pub fn scan(xml: &str) -> Result<usize, Error> {
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut events = 0;
    loop {
        match reader.read_event()? {
            Event::Eof => return Ok(events),
            _ => events += 1,
        }
    }
}
