//! `301 Moved Permanently` to where something is now (a former slug's
//! article or section). A CDN may keep it a while, tagged like the page it
//! leads to, so that a later change (the slug taken back) purges it too.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::domain::Viewer;

/// How long a shared cache may keep a redirect, in seconds.
const REDIRECT_MAX_AGE: u32 = 300;

/// A 301 to `location`, tagged `tags` (space-separated surrogate keys) for
/// anonymous callers, private for signed-in ones.
pub fn moved_permanently(location: String, tags: &str, caller: Viewer) -> HttpResponse {
    let mut response = HttpResponse::MovedPermanently();
    response.insert_header((header::LOCATION, location));
    if caller == Viewer::Anonymous {
        response
            .insert_header((header::CACHE_CONTROL, format!("public, max-age={REDIRECT_MAX_AGE}")))
            .insert_header(("Surrogate-Key", tags.to_owned()))
            .insert_header(("Cache-Tag", tags.replace(' ', ",")));
    } else {
        response.insert_header((header::CACHE_CONTROL, "private, no-cache"));
    }
    response.finish()
}
