//! Flat SVG pictures for the demo catalog: one drawing per article-type
//! family, filled in the product's colour, so the shop shows recognisable
//! pictures without any outside URL. Each picture is well under 2 KB.

use super::table::{colour_by_slug, type_by_slug};

/// Which of a demo product's two pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageView {
    /// The first picture, with the front details (buttons, pockets, laces).
    Front,
    /// The second picture: the silhouette mirrored, with the back's details.
    Back,
}

/// The picture at a path of the form [`super::image_paths`] gives
/// (`/images/demo/{article_type_slug}/{colour_slug}.svg` or
/// `…/{colour_slug}-back.svg`); `None` for any other path.
pub fn image_for_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/images/demo/")?;
    let (type_slug, file) = rest.split_once('/')?;
    let stem = file.strip_suffix(".svg")?;
    let (colour, view) = match stem.strip_suffix("-back") {
        Some(colour) => (colour, ImageView::Back),
        None => (stem, ImageView::Front),
    };
    image_svg(type_slug, colour, view)
}

/// The picture of a demo article type in a colour, or `None` when either slug
/// is not one the demo catalog uses.
pub fn image_svg(article_type_slug: &str, colour_slug: &str, view: ImageView) -> Option<String> {
    let article = type_by_slug(article_type_slug)?;
    let colour = colour_by_slug(colour_slug)?;
    let (body, front, back) = drawing(article.art)?;
    let detail = if is_light(colour.hex) { "#1d1d1f" } else { "#ffffff" };
    let (transform, details) = match view {
        ImageView::Front => ("", front),
        ImageView::Back => (r#" transform="matrix(-1 0 0 1 100 0)""#, back),
    };
    Some(format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="400" height="400">"#,
            "<title>{title} in {colour}</title>",
            r##"<rect width="100" height="100" fill="#f3f1ec"/>"##,
            r##"<g fill="{hex}" stroke="#1d1d1f" stroke-opacity=".45" stroke-width=".8" stroke-linejoin="round"{transform}>{body}</g>"##,
            r#"<g fill="none" stroke="currentColor" color="{detail}" stroke-opacity=".55" stroke-width=".9" stroke-linecap="round">{details}</g>"#,
            "</svg>"
        ),
        title = article.singular,
        colour = colour.name,
        hex = colour.hex,
        transform = transform,
        body = body,
        detail = detail,
        details = details,
    ))
}

/// Whether dark detail lines read better than light ones on this fill.
fn is_light(hex: &str) -> bool {
    let channel = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).map_or(0.0, f32::from);
    // Rec. 601 luma: cheap and good enough to pick between two line colours.
    0.299 * channel(1) + 0.587 * channel(3) + 0.114 * channel(5) > 150.0
}

/// `(silhouette, front details, back details)` of a picture family, on a
/// 100 × 100 canvas.
fn drawing(family: &str) -> Option<(&'static str, &'static str, &'static str)> {
    const DOTS3: &str = r#"<g fill="currentColor" stroke="none"><circle cx="50" cy="20" r="1.2"/><circle cx="50" cy="27" r="1.2"/><circle cx="50" cy="34" r="1.2"/></g>"#;
    Some(match family {
        "shirt" => (
            r#"<path d="M30 20 42 14 50 20 58 14 70 20 88 60 79 65 70 44V90H30V44L21 65 12 60Z"/>"#,
            r#"<path d="M42 14 50 27 58 14M50 27V90M56 40h8v8h-8z"/><g fill="currentColor" stroke="none"><circle cx="50" cy="38" r="1.3"/><circle cx="50" cy="52" r="1.3"/><circle cx="50" cy="66" r="1.3"/><circle cx="50" cy="80" r="1.3"/></g>"#,
            r#"<path d="M30 30Q50 36 70 30"/>"#,
        ),
        "tshirt" => (
            r#"<path d="M32 18 42 13Q50 21 58 13L68 18 85 32 77 43 68 37V90H32V37L23 43 15 32Z"/>"#,
            r#"<path d="M42 13Q50 25 58 13M26 40 32 37M74 40 68 37"/><circle cx="50" cy="52" r="9"/>"#,
            r#"<path d="M43 14Q50 18 57 14"/>"#,
        ),
        "top" => (
            r#"<path d="M37 12Q50 24 63 12L65 30Q73 40 68 52L73 90H27L32 52Q27 40 35 30Z"/>"#,
            r#"<path d="M35 30Q50 36 65 30M40 60 38 88M50 60V88M60 60 62 88"/>"#,
            r#"<path d="M35 30Q50 34 65 30"/>"#,
        ),
        "sweater" => (
            r#"<path d="M31 18Q50 26 69 18L84 28 92 78 82 81 72 45V88H28V45L18 81 8 78 16 28Z"/>"#,
            r#"<path d="M40 19Q50 29 60 19M28 81H72M10 72l10 3M90 72l-10 3M36 50Q50 56 64 50"/>"#,
            r#"<path d="M28 81H72M10 72l10 3M90 72l-10 3"/>"#,
        ),
        "jacket" => (
            r#"<path d="M30 18 40 12 50 18 60 12 70 18 85 28 91 80 81 82 72 46V90H28V46L19 82 9 80 15 28Z"/>"#,
            r#"<path d="M50 18V90M33 62h10M57 62h10M40 12 44 24 50 18 56 24 60 12M28 40H72"/>"#,
            r#"<path d="M28 40H72M28 64H72"/>"#,
        ),
        "blazer" => (
            r#"<path d="M30 18 40 12 50 18 60 12 70 18 85 28 91 80 81 82 72 46V90H28V46L19 82 9 80 15 28Z"/>"#,
            r#"<path d="M40 12 50 46 60 12M40 12 38 30 46 34M60 12 62 30 54 34M50 46V90M33 68h10M57 68h10M58 40h7"/><g fill="currentColor" stroke="none"><circle cx="50" cy="56" r="1.5"/><circle cx="50" cy="68" r="1.5"/></g>"#,
            r#"<path d="M50 40V90"/>"#,
        ),
        "raincoat" => (
            r#"<path d="M37 14Q50-2 63 14L72 20 86 32 90 80 80 82 73 50 76 94H24L27 50 20 82 10 80 14 32 28 20Z"/>"#,
            r#"<path d="M40 18Q50 6 60 18M50 22V94M30 62h10M60 62h10"/><g fill="currentColor" stroke="none"><circle cx="47" cy="36" r="1.4"/><circle cx="47" cy="52" r="1.4"/><circle cx="47" cy="68" r="1.4"/></g>"#,
            r#"<path d="M38 16Q50 10 62 16M26 56H74"/>"#,
        ),
        "kurta" => (
            r#"<path d="M34 14 44 11Q50 15 56 11L66 14 83 40 75 46 68 33 70 94H30L32 33 25 46 17 40Z"/>"#,
            concat!(
                r#"<path d="M50 13V38M31 74 32 94M69 74 68 94"/><path d="M31 88H69M44 13Q50 20 56 13" stroke-dasharray="2 2"/>"#,
                r#"<g fill="currentColor" stroke="none"><circle cx="50" cy="20" r="1.2"/><circle cx="50" cy="27" r="1.2"/><circle cx="50" cy="34" r="1.2"/></g>"#
            ),
            r#"<path d="M31 88H69" stroke-dasharray="2 2"/>"#,
        ),
        "saree" => (
            r#"<path d="M14 28H86V72H14Z"/><path d="M14 72H86L82 82H18Z"/>"#,
            r##"<path d="M14 62H86M58 28 86 56" stroke="#d4a83a" stroke-opacity="1" stroke-width="3"/><g fill="currentColor" stroke="none"><circle cx="24" cy="38" r="1.5"/><circle cx="36" cy="46" r="1.5"/><circle cx="24" cy="52" r="1.5"/><circle cx="46" cy="38" r="1.5"/></g>"##,
            r##"<path d="M14 62H86" stroke="#d4a83a" stroke-opacity="1" stroke-width="3"/>"##,
        ),
        "dress" => (
            r#"<path d="M38 10h6Q50 18 56 10h6l2 20q-2 8-4 12L82 92H18L40 42q-2-4-4-12Z"/>"#,
            r#"<path d="M38 40Q50 45 62 40M44 12Q50 22 56 12M34 80 30 90M50 70V90M66 80 70 90"/>"#,
            r#"<path d="M38 40Q50 45 62 40"/>"#,
        ),
        "jeans" => (
            r#"<path d="M30 10H70L75 92H56L50 34 44 92H25Z"/>"#,
            r#"<path d="M30 18H70M50 18V34M36 18Q38 26 30 28M64 18Q62 26 70 28"/><circle cx="50" cy="14" r="1.3"/>"#,
            r#"<path d="M30 18H70M35 26h10v10H35zM55 26h10v10H55z"/>"#,
        ),
        "trousers" => (
            r#"<path d="M31 10H69L73 94H56L50 32 44 94H27Z"/>"#,
            r#"<path d="M31 17H69M50 17V32M38 22 36 92M62 22 64 92"/>"#,
            r#"<path d="M31 17H69M38 22 36 92M62 22 64 92"/>"#,
        ),
        "shorts" => (
            r#"<path d="M27 24H73L77 70 55 73 50 46 45 73 23 70Z"/>"#,
            r#"<path d="M27 31H73M50 31V46M35 31Q37 38 29 40M65 31Q63 38 71 40M46 26 44 34M54 26 56 34"/>"#,
            r#"<path d="M27 31H73"/>"#,
        ),
        "skirt" => (
            r#"<path d="M35 18H65L82 84H18Z"/>"#,
            r#"<path d="M35 25H65M42 25 36 84M50 25V84M58 25 64 84"/>"#,
            r#"<path d="M35 25H65"/>"#,
        ),
        "swimsuit" => (
            r#"<path d="M38 10h4Q50 30 58 10h4L64 40Q60 52 67 68Q50 78 33 68Q40 52 36 40Z"/>"#,
            r#"<path d="M36 40Q50 46 64 40"/>"#,
            r#"<path d="M40 12 60 40M60 12 40 40"/>"#,
        ),
        "shoes" => (
            r##"<path d="M10 72V46Q10 40 16 40L24 42Q34 51 44 44L52 42Q62 54 80 58Q92 60 92 68V72Z"/><path fill="#eeeae2" d="M8 71H94V76Q94 80 90 80H12Q8 80 8 76Z"/>"##,
            r#"<path d="M47 47 53 52M52 45 58 50M57 48 63 53M14 64Q40 60 60 66 76 70 90 66"/>"#,
            r#"<path d="M14 64H90"/>"#,
        ),
        "loafer" => (
            r##"<path d="M8 64Q8 52 20 52L44 50Q58 44 70 52L86 58Q94 62 92 70H8Z"/><path fill="#3a2a20" d="M8 70H92V75H8Z"/>"##,
            r#"<path d="M50 50Q58 58 70 54M12 60Q40 58 88 64"/>"#,
            r#"<path d="M12 60Q40 58 88 64"/>"#,
        ),
        "boots" => (
            r##"<path d="M30 12H56L58 56 84 64Q94 68 92 78H30Z"/><path fill="#3a2a20" d="M30 78H92V84H30Z"/>"##,
            r#"<path d="M30 20H56M46 24V56M46 30h6M46 38h6M46 46h6"/>"#,
            r#"<path d="M30 20H56"/>"#,
        ),
        "heels" => (
            r#"<path d="M12 70Q36 62 56 50L80 44Q90 44 88 54L84 60 81 88H76L74 62Q52 70 28 76H12Z"/>"#,
            r#"<path d="M40 60Q46 52 56 50"/>"#,
            "",
        ),
        "sandals" => (
            r##"<path fill="#d8c3a5" d="M10 68Q10 60 20 60L84 62Q92 64 90 70L88 74H14Q10 72 10 68Z"/><path d="M28 60Q40 38 54 60H48Q40 46 34 60ZM58 61Q66 44 76 62H71Q66 52 63 61Z"/>"##,
            r#"<path d="M14 70H88"/>"#,
            "",
        ),
        "socks" => (
            r#"<path d="M36 10H58V56L76 70Q84 78 76 86Q70 91 62 85L36 66Z"/>"#,
            r#"<path d="M36 16H58M36 20H58M36 24H58M68 80Q72 76 78 79"/>"#,
            r#"<path d="M36 16H58M36 20H58M36 24H58"/>"#,
        ),
        "backpack" => (
            r#"<rect x="24" y="20" width="52" height="70" rx="12"/><path fill="none" stroke-width="3" d="M42 20Q50 8 58 20"/>"#,
            r#"<rect x="32" y="54" width="36" height="26" rx="6"/><path d="M32 62H68M30 34H70"/>"#,
            r#"<path d="M36 24Q32 56 36 86M64 24Q68 56 64 86"/>"#,
        ),
        "handbag" => (
            r#"<path d="M16 40H84L90 88H10Z"/><path fill="none" stroke-width="3" d="M34 40Q34 18 50 18T66 40"/>"#,
            r#"<path d="M16 50H84"/><rect x="46" y="46" width="8" height="8" rx="1"/>"#,
            r#"<path d="M16 50H84"/>"#,
        ),
        "duffel" => (
            r#"<rect x="10" y="40" width="80" height="40" rx="18"/><path fill="none" stroke-width="3" d="M34 40Q40 24 50 24T66 40"/>"#,
            r#"<path d="M20 48H80M30 60h40v14H30z"/>"#,
            r#"<path d="M20 48H80"/>"#,
        ),
        "trolley" => (
            r#"<rect x="28" y="22" width="44" height="64" rx="6"/><path fill="none" stroke-width="3" d="M42 22V10H58V22"/><circle cx="34" cy="90" r="3"/><circle cx="66" cy="90" r="3"/>"#,
            r#"<path d="M40 28V80M50 28V80M60 28V80"/>"#,
            r#"<path d="M28 54H72"/>"#,
        ),
        "pouch" => (
            r#"<rect x="14" y="30" width="72" height="46" rx="8"/>"#,
            r#"<path d="M18 40H82"/><path d="M70 40v8" stroke-width="2"/><rect x="24" y="50" width="30" height="18" rx="2"/>"#,
            r#"<path d="M18 40H82"/>"#,
        ),
        "powerbank" => (
            r#"<rect x="30" y="14" width="40" height="74" rx="8"/>"#,
            r#"<g fill="currentColor" stroke="none"><circle cx="44" cy="24" r="1.6"/><circle cx="50" cy="24" r="1.6"/><circle cx="56" cy="24" r="1.6"/></g><path d="M52 40 44 54H52L48 66 58 50H50Z"/><rect x="42" y="80" width="16" height="4" rx="1"/>"#,
            r#"<rect x="38" y="30" width="24" height="40" rx="3"/>"#,
        ),
        "charger" => (
            r##"<path fill="#b9bcc2" d="M38 20h5v14h-5zM57 20h5v14h-5z"/><rect x="30" y="34" width="40" height="40" rx="8"/>"##,
            r#"<rect x="42" y="62" width="16" height="5" rx="1"/><path d="M50 74Q50 90 70 90" stroke-width="2"/>"#,
            r#"<circle cx="50" cy="54" r="8"/>"#,
        ),
        "umbrella" => (
            r#"<path d="M8 52Q50-2 92 52 81 45 71 52 60 45 50 52 40 45 29 52 19 45 8 52Z"/><path fill="none" stroke-width="3" d="M50 52V84Q50 92 42 90"/>"#,
            r#"<path d="M50 10 29 52M50 10 71 52M50 10V52"/>"#,
            r#"<path d="M50 10V52"/>"#,
        ),
        "sunglasses" => (
            r#"<path d="M10 38H46Q47 62 30 62 12 62 10 44ZM54 38H90V44Q88 62 70 62 53 62 54 38Z"/><path fill="none" stroke-width="3" d="M46 42Q50 37 54 42M10 40 4 36M90 40 96 36"/>"#,
            r##"<path d="M18 44 26 52M62 44 70 52" stroke="#fff" stroke-opacity=".7"/>"##,
            "",
        ),
        "cap" => (
            r#"<path d="M18 64Q18 28 50 26 80 28 82 62Z"/><path d="M50 62H94Q94 72 80 72L50 70Z"/>"#,
            r#"<path d="M50 26V62M34 30Q30 46 32 63"/><circle cx="50" cy="26" r="2" fill="currentColor"/>"#,
            r#"<path d="M50 26V62"/>"#,
        ),
        "beanie" => (
            r#"<path d="M22 68Q22 26 50 26 78 26 78 68Z"/><rect x="19" y="62" width="62" height="16" rx="4"/><circle cx="50" cy="22" r="7"/>"#,
            r#"<path d="M28 65V76M36 65V76M44 65V76M52 65V76M60 65V76M68 65V76"/>"#,
            r#"<path d="M28 65V76M44 65V76M60 65V76"/>"#,
        ),
        "gloves" => (
            r#"<rect x="34" y="22" width="7" height="30" rx="3.5"/><rect x="42" y="16" width="7" height="34" rx="3.5"/><rect x="50" y="18" width="7" height="32" rx="3.5"/><rect x="58" y="26" width="7" height="26" rx="3.5"/><path d="M34 40H66V70Q66 76 60 76H40Q34 76 34 70ZM34 52Q24 44 22 50 22 56 34 64Z"/><rect x="36" y="74" width="28" height="16" rx="2"/>"#,
            r#"<path d="M40 78V88M46 78V88M52 78V88M58 78V88"/>"#,
            r#"<path d="M40 78V88M52 78V88"/>"#,
        ),
        "watch" => (
            r#"<rect x="40" y="4" width="20" height="92" rx="4"/><circle cx="50" cy="50" r="20"/>"#,
            r##"<circle cx="50" cy="50" r="15" fill="#fafafa"/><path d="M50 50V40M50 50l7 4" stroke="#222" stroke-opacity="1"/>"##,
            r#"<circle cx="50" cy="50" r="12"/>"#,
        ),
        "belt" => (
            r#"<rect x="4" y="42" width="92" height="16" rx="3"/>"#,
            r##"<rect x="12" y="40" width="14" height="20" rx="2" stroke="#c9a447" stroke-opacity="1" stroke-width="2.5"/><path d="M40 50h0M50 50h0M60 50h0M70 50h0" stroke-width="2.5"/>"##,
            r#"<path d="M4 45H96M4 55H96" stroke-dasharray="2 2"/>"#,
        ),
        "wallet" => (
            r#"<rect x="16" y="28" width="68" height="46" rx="6"/>"#,
            r#"<path d="M16 40H84M60 40v14h24"/><circle cx="68" cy="47" r="2" fill="currentColor"/>"#,
            r#"<path d="M16 40H84"/>"#,
        ),
        "scarf" => (
            r#"<path d="M26 28Q50 44 74 28L70 20Q50 34 30 20ZM34 32 30 84H44L47 37ZM53 37 56 76H68L63 32Z"/>"#,
            r#"<path d="M31 84v6M35 84v6M39 84v6M43 84v6M57 76v6M61 76v6M65 76v6M32 58H45M55 54H65"/>"#,
            r#"<path d="M31 84v6M39 84v6M57 76v6M65 76v6"/>"#,
        ),
        "bottle" => (
            r#"<rect x="36" y="24" width="28" height="68" rx="9"/><rect x="40" y="10" width="20" height="14" rx="3"/>"#,
            r#"<path d="M36 44H64M36 72H64M44 52V64"/>"#,
            DOTS3,
        ),
        _ => return None,
    })
}
