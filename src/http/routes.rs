//! Which methods each route answers, so that a known path asked with another
//! method is a `405` naming them (`Allow`), not a `404`.

use actix_web::http::{Method, header};
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

use crate::error::AppError;

/// One route: its path template (`/api/v1/articles/{id_or_slug}`) and methods.
struct Route {
    segments: Vec<Segment>,
    methods: Vec<&'static str>,
}

enum Segment {
    Literal(String),
    /// `{name}`: any one segment.
    Variable,
}

/// Every route the service answers.
#[derive(Default)]
pub struct KnownRoutes {
    routes: Vec<Route>,
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.trim_matches('/').split('/')
}

impl KnownRoutes {
    /// Adds `methods` to the route at `template` (`{x}` stands for any segment).
    pub fn add(&mut self, template: &str, methods: impl IntoIterator<Item = &'static str>) {
        let parsed: Vec<Segment> = segments(template)
            .map(|s| {
                if s.starts_with('{') && s.ends_with('}') {
                    Segment::Variable
                } else {
                    Segment::Literal(s.to_owned())
                }
            })
            .collect();
        let methods: Vec<&'static str> = methods.into_iter().collect();
        let same = |route: &Route| {
            route.segments.len() == parsed.len()
                && route.segments.iter().zip(&parsed).all(|pair| match pair {
                    (Segment::Variable, Segment::Variable) => true,
                    (Segment::Literal(a), Segment::Literal(b)) => a == b,
                    _ => false,
                })
        };
        match self.routes.iter_mut().find(|r| same(r)) {
            Some(route) => route.methods.extend(methods),
            None => self.routes.push(Route { segments: parsed, methods }),
        }
    }

    /// The methods `path` answers, if it is a known route. A literal segment
    /// wins over a variable one, as in routing (`/articles/x/publish`).
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let wanted: Vec<&str> = segments(path).collect();
        let fits = |route: &&Route| {
            route.segments.len() == wanted.len()
                && route.segments.iter().zip(&wanted).all(|(segment, part)| match segment {
                    Segment::Variable => !part.is_empty(),
                    Segment::Literal(literal) => literal == part,
                })
        };
        let literals =
            |route: &&Route| route.segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        let route = self.routes.iter().filter(fits).max_by_key(literals)?;
        let mut methods = route.methods.clone();
        let order = |m: &&str| ["GET", "POST", "PUT", "PATCH", "DELETE"].iter().position(|o| o == m);
        methods.sort_by_key(order);
        methods.dedup();
        Some(methods)
    }
}

/// What a request no route took is answered: `405` with `Allow` on a known
/// path (`204` with `Allow` for `OPTIONS`), `404` elsewhere.
pub async fn unmatched(
    req: HttpRequest,
    routes: Option<Data<KnownRoutes>>,
) -> Result<HttpResponse, AppError> {
    let allowed = routes.and_then(|routes| routes.allowed(req.path()));
    match allowed {
        Some(allowed) if req.method() == Method::OPTIONS => {
            Ok(HttpResponse::NoContent().insert_header((header::ALLOW, allowed.join(", "))).finish())
        }
        Some(allowed) if method_name(req.method()).is_none_or(|m| !allowed.contains(&m)) => {
            Err(AppError::MethodNotAllowed(allowed))
        }
        _ => Err(AppError::NotFound("route")),
    }
}

/// A method's name as `Allow` lists it.
pub fn method_name(method: &Method) -> Option<&'static str> {
    [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE]
        .iter()
        .zip(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .find(|(m, _)| *m == method)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> KnownRoutes {
        let mut routes = KnownRoutes::default();
        routes.add("/api/v1/articles", ["GET"]);
        routes.add("/api/v1/articles", ["POST"]);
        routes.add("/api/v1/articles/{id_or_slug}", ["GET", "PATCH", "DELETE"]);
        routes.add("/api/v1/articles/{id_or_slug}/publish", ["POST"]);
        routes
    }

    #[test]
    fn known_paths_name_their_methods() {
        let routes = routes();
        assert_eq!(routes.allowed("/api/v1/articles"), Some(vec!["GET", "POST"]));
        assert_eq!(routes.allowed("/api/v1/articles/"), Some(vec!["GET", "POST"]));
        assert_eq!(routes.allowed("/api/v1/articles/rates-rise"), Some(vec!["GET", "PATCH", "DELETE"]));
        assert_eq!(routes.allowed("/api/v1/articles/rates-rise/publish"), Some(vec!["POST"]));
    }

    #[test]
    fn unknown_paths_are_unknown() {
        let routes = routes();
        assert_eq!(routes.allowed("/api/v1/nope"), None);
        assert_eq!(routes.allowed("/api/v1/articles/a/b/c"), None);
        assert_eq!(routes.allowed("/"), None);
    }
}
