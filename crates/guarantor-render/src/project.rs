//! The map projection: Lambert azimuthal equal-area centred on the theatre (areas true, shapes good across a
//! region of Ukraine's size), and the view that turns it into pixels.

use geo_types::Point;

use guarantor_core::EARTH_MEAN_RADIUS_KM as EARTH_KM;

/// Spherical Lambert azimuthal equal-area, centred on a point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Laea {
    lon0: f64,
    sin_lat0: f64,
    cos_lat0: f64,
}

impl Laea {
    /// Centred on (`lon0`, `lat0`), in degrees.
    pub fn new(lon0: f64, lat0: f64) -> Laea {
        let lat0 = lat0.to_radians();
        Laea {
            lon0: lon0.to_radians(),
            sin_lat0: lat0.sin(),
            cos_lat0: lat0.cos(),
        }
    }

    /// A point (lon, lat in degrees) on the plane, x east and y north, in km from the centre.
    pub fn forward(&self, p: Point<f64>) -> (f64, f64) {
        let (lat, dl) = (p.y().to_radians(), p.x().to_radians() - self.lon0);
        let (sin_lat, cos_lat) = lat.sin_cos();
        let denom = 1.0 + self.sin_lat0 * sin_lat + self.cos_lat0 * cos_lat * dl.cos();
        let k = (2.0 / denom.max(1e-12)).sqrt();
        (
            EARTH_KM * k * cos_lat * dl.sin(),
            EARTH_KM * k * (self.cos_lat0 * sin_lat - self.sin_lat0 * cos_lat * dl.cos()),
        )
    }
}

/// A projection scaled and shifted into a picture: pixels from the top left, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    projection: Laea,
    /// Plane coordinates (km) of the picture's top left corner.
    left: f64,
    top: f64,
    /// Pixels per km.
    scale: f64,
    /// Picture size in px.
    width: f64,
    height: f64,
}

impl View {
    /// The view that shows the lon/lat box `[min, max]` (degrees) `width` px wide, centred on the box.
    pub fn over(min: Point<f64>, max: Point<f64>, width: f64) -> View {
        let projection = Laea::new((min.x() + max.x()) / 2.0, (min.y() + max.y()) / 2.0);
        // The box's edges, sampled: its projected outline bulges.
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..=16 {
            let t = f64::from(i) / 16.0;
            for p in [
                Point::new(min.x() + t * (max.x() - min.x()), min.y()),
                Point::new(min.x() + t * (max.x() - min.x()), max.y()),
                Point::new(min.x(), min.y() + t * (max.y() - min.y())),
                Point::new(max.x(), min.y() + t * (max.y() - min.y())),
            ] {
                let (x, y) = projection.forward(p);
                xs.push(x);
                ys.push(y);
            }
        }
        let fold = |v: &[f64], f: fn(f64, f64) -> f64, start: f64| v.iter().copied().fold(start, f);
        let (x0, x1) = (
            fold(&xs, f64::min, f64::INFINITY),
            fold(&xs, f64::max, f64::NEG_INFINITY),
        );
        let (y0, y1) = (
            fold(&ys, f64::min, f64::INFINITY),
            fold(&ys, f64::max, f64::NEG_INFINITY),
        );
        let scale = width / (x1 - x0).max(1e-9);
        View {
            projection,
            left: x0,
            top: y1,
            scale,
            width,
            height: ((y1 - y0) * scale).round(),
        }
    }

    /// Where a lon/lat point falls, in px.
    pub fn px(&self, p: Point<f64>) -> (f64, f64) {
        let (x, y) = self.projection.forward(p);
        ((x - self.left) * self.scale, (self.top - y) * self.scale)
    }

    /// Pixels per km at the centre (an equal-area projection's scale varies a little away from it).
    pub fn px_per_km(&self) -> f64 {
        self.scale
    }

    /// Picture width in px.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Picture height in px.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// Whether a pixel position is inside the picture, with a margin.
    pub fn shows(&self, (x, y): (f64, f64), margin: f64) -> bool {
        x >= -margin && y >= -margin && x <= self.width + margin && y <= self.height + margin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_from_the_centre_are_true_and_the_centre_is_the_origin() {
        let p = Laea::new(31.0, 48.5);
        let (x, y) = p.forward(Point::new(31.0, 48.5));
        assert!(x.abs() < 1e-9 && y.abs() < 1e-9);
        // Due north one degree: about 111 km on the sphere.
        let (x, y) = p.forward(Point::new(31.0, 49.5));
        assert!(x.abs() < 1e-9 && (y - 111.19).abs() < 0.2, "{x} {y}");
        // Equal area: a 1°×1° cell near the centre covers the sphere's area for it (about 111.19² × cos φ).
        let corners = [(31.0, 48.0), (32.0, 48.0), (32.0, 49.0), (31.0, 49.0)];
        let pts: Vec<(f64, f64)> = corners
            .iter()
            .map(|&(x, y)| p.forward(Point::new(x, y)))
            .collect();
        let area = 0.5
            * (0..4)
                .map(|i| {
                    let (a, b) = (pts[i], pts[(i + 1) % 4]);
                    a.0 * b.1 - b.0 * a.1
                })
                .sum::<f64>()
                .abs();
        let sphere = (EARTH_KM.to_radians()).powi(2) * 48.5f64.to_radians().cos();
        assert!(
            (area / sphere - 1.0).abs() < 0.01,
            "{area} against {sphere}"
        );
    }

    #[test]
    fn the_view_fits_the_box_across_its_width() {
        let v = View::over(Point::new(22.0, 44.0), Point::new(41.0, 53.0), 1000.0);
        let (x, _) = v.px(Point::new(31.5, 48.5));
        assert!((x - 500.0).abs() < 1.0, "{x}");
        assert!(v.height() > 400.0 && v.height() < 900.0, "{}", v.height());
        let (_, y_north) = v.px(Point::new(31.5, 53.0));
        let (_, y_south) = v.px(Point::new(31.5, 44.0));
        assert!(y_north < y_south);
    }
}
