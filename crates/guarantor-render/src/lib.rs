//! guarantor's rendering engine: pictures and briefings from data, no I/O. Maps and charts come out as SVG text
//! (the same bytes for the same input), briefings as self-contained HTML, pictures for slides as PNG bytes
//! (rasterised with resvg and an embedded font, so no system font is needed) and tables as XLSX bytes.
//!
//! - [`map`](mod@map): the theatre map, in a Lambert azimuthal equal-area projection ([`project`]), with unit and site
//!   symbols ([`symbol`]) and labels that do not overlap ([`label`]);
//! - [`chart`]: lines over days, stacked bars, bars against a target, heat maps;
//! - [`briefing`]: a self-contained HTML page of figures, pictures and tables;
//! - [`raster`]: SVG to PNG; [`table`]: tables as CSV and XLSX.

pub mod briefing;
pub mod chart;
pub mod label;
pub mod map;
pub mod project;
pub mod raster;
pub mod svg;
pub mod symbol;
pub mod table;

pub use map::{IncidentMark, Laydown, Overlay, confidence_colour, map, map_view, theatre_box};
