//! Where the home state's government sits, by ISO 3166-2 code: the point the
//! map marks as the home state (issue 22). The home record carries no
//! coordinates; these are the seats of government of the federated states
//! and regions a registry is run for (Canada's provinces and territories,
//! Belgium's regions and communities), in degrees, from GeoNames. A home
//! state not listed here is simply not marked.

use paradiplo_core::GeoPoint;

/// (ISO 3166-2 code, latitude, longitude) of the seat of government.
const SEATS: &[(&str, f64, f64)] = &[
    ("CA-AB", 53.5461, -113.4938), // Edmonton
    ("CA-BC", 48.4284, -123.3656), // Victoria
    ("CA-MB", 49.8951, -97.1384),  // Winnipeg
    ("CA-NB", 45.9636, -66.6431),  // Fredericton
    ("CA-NL", 47.5615, -52.7126),  // St. John's
    ("CA-NS", 44.6488, -63.5752),  // Halifax
    ("CA-NT", 62.4540, -114.3718), // Yellowknife
    ("CA-NU", 63.7467, -68.5170),  // Iqaluit
    ("CA-ON", 43.6532, -79.3832),  // Toronto
    ("CA-PE", 46.2382, -63.1311),  // Charlottetown
    ("CA-QC", 46.8139, -71.2080),  // Québec
    ("CA-SK", 50.4452, -104.6189), // Regina
    ("CA-YT", 60.7212, -135.0568), // Whitehorse
    ("BE-BRU", 50.8503, 4.3517),   // Brussels
    ("BE-VLG", 50.8503, 4.3517),   // Brussels (Flemish Government)
    ("BE-WAL", 50.4674, 4.8720),   // Namur
];

/// The seat of government of the subdivision `code`, if listed.
pub(crate) fn seat_of(code: &str) -> Option<GeoPoint> {
    SEATS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|&(_, lat, lon)| GeoPoint { lat, lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_are_valid_subdivisions_with_plausible_points() {
        for (code, lat, lon) in SEATS {
            assert!(
                paradiplo_core::SubdivisionCode::parse(code).is_ok(),
                "{code} is not an ISO 3166-2 code"
            );
            assert!((-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon));
            // Canada's seats are in the western hemisphere, Belgium's in Europe.
            let west = code.starts_with("CA-");
            assert_eq!(*lon < 0.0, west, "{code}");
        }
        let quebec = seat_of("CA-QC").expect("Québec is listed");
        assert!((quebec.lat - 46.81).abs() < 0.01 && (quebec.lon + 71.21).abs() < 0.01);
        assert!(seat_of("DE-BY").is_none());
    }
}
