//! The REST adapter: actix-web handlers over the service layer, documented
//! with utoipa. Handlers parse, call one service method, and shape the reply.

pub mod articles;
pub mod audit;
pub mod auth;
pub mod categories;
pub mod collections;
pub mod comments;
pub mod feeds;
pub mod health;
pub mod me;
pub mod media;
pub mod metrics;
pub mod moderation;
pub mod openapi;
mod params;
mod patch;
pub mod previews;
pub mod problem;
mod redirect;
mod responses;
mod schemas;
pub mod sitemaps;
pub mod tags;
mod text_limits;
pub mod users;
mod versions;
pub mod views;
pub mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Only `.service(..)` registrations reach
/// the OpenAPI document; `.route(..)` ones would be served but undocumented.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(metrics::metrics)
        .service(media::serve_file)
        .service(feeds::site_feed)
        .service(feeds::section_feed)
        .service(feeds::tag_feed)
        .service(feeds::author_feed)
        .service(sitemaps::sitemap_index)
        .service(sitemaps::sitemap)
        .service(sitemaps::robots)
        .service(
            scope("/api/v1")
                .service(auth::register)
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::reset_password)
                .service(auth::me)
                .service(me::update_me)
                .service(me::change_password)
                .service(me::export_me)
                .service(me::delete_me)
                .service(articles::list_articles)
                .service(articles::create_article)
                .service(articles::get_article)
                .service(articles::update_article)
                .service(articles::delete_article)
                .service(articles::submit_article)
                .service(articles::publish_article)
                .service(articles::schedule_article)
                .service(articles::unpublish_article)
                .service(articles::archive_article)
                .service(articles::list_revisions)
                .service(articles::diff_revision)
                .service(articles::restore_revision)
                .service(articles::add_correction)
                .service(articles::list_trash)
                .service(articles::restore_article)
                .service(previews::create_preview)
                .service(previews::read_preview)
                .service(previews::revoke_preview)
                .service(comments::list_comments)
                .service(comments::create_comment)
                .service(comments::get_comment)
                .service(comments::edit_comment)
                .service(comments::delete_comment)
                .service(comments::hide_comment)
                .service(comments::unhide_comment)
                .service(moderation::report_comment)
                .service(moderation::approve_comment)
                .service(moderation::moderation_queue)
                .service(categories::list_categories)
                .service(categories::create_category)
                .service(categories::get_category)
                .service(categories::update_category)
                .service(categories::delete_category)
                .service(collections::list_collections)
                .service(collections::create_collection)
                .service(collections::get_collection)
                .service(collections::update_collection)
                .service(collections::set_collection_items)
                .service(collections::delete_collection)
                .service(tags::list_tags)
                .service(tags::create_tag)
                .service(tags::get_tag)
                .service(tags::update_tag)
                .service(tags::delete_tag)
                .service(users::list_users)
                .service(users::create_user)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::issue_password_reset)
                .service(audit::audit_log)
                .service(media::upload_media)
                .service(media::list_media)
                .service(media::get_media)
                .service(media::media_usage)
                .service(media::update_media)
                .service(media::delete_media)
                .service(webhooks::create_webhook)
                .service(webhooks::list_webhooks)
                .service(webhooks::get_webhook)
                .service(webhooks::update_webhook)
                .service(webhooks::delete_webhook)
                .service(webhooks::list_deliveries)
                .service(webhooks::redeliver),
        );
}
