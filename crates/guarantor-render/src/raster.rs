//! Pictures for slides: an SVG rasterised to PNG with resvg, text set in the embedded DejaVu Sans, so nothing
//! depends on the fonts of the machine.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE`).
const DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Why a picture could not be rasterised.
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    /// The SVG does not parse (a bug: guarantor wrote it).
    #[error("the picture's SVG does not parse: {0}")]
    Svg(String),
    /// The picture is empty or too large for a pixmap.
    #[error("a picture of {0} × {1} px cannot be rasterised")]
    Size(u32, u32),
    /// PNG encoding failed.
    #[error("the PNG cannot be encoded: {0}")]
    Png(String),
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(DEJAVU_SANS.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// The pixels of `svg` at `scale` (2 for slides), as an RGBA pixmap.
pub fn pixmap(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, RasterError> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_owned(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| RasterError::Svg(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or(RasterError::Size(0, 0))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or(RasterError::Size(size.width(), size.height()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// `svg` as PNG bytes at `scale`.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, RasterError> {
    pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| RasterError::Png(e.to_string()))
}
