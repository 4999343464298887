//! The REST adapter: actix-web handlers over the service layer, documented
//! with utoipa. Handlers parse, call one service method, and shape the reply.

pub mod articles;
pub mod categories;
pub mod comments;
pub mod health;
pub mod http_cache;
pub mod openapi;
pub mod params;
pub mod problem;
pub mod request_id;
pub mod tags;
pub mod views;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Only `.service(..)` registrations reach
/// the OpenAPI document; `.route(..)` ones would be served but undocumented.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(
        scope("/api/v1")
            .service(articles::list_articles)
            .service(articles::get_article)
            .service(comments::list_comments)
            .service(categories::list_categories)
            .service(categories::get_category)
            .service(tags::list_tags)
            .service(tags::get_tag),
    );
}
