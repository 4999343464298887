//! Diesel table definitions, in the column types both backends share.
//!
//! Written by hand rather than printed: the two migration trees differ where
//! the engines do (SQLite's FTS5 `seq` key, PostgreSQL's `search_vector`), and
//! those columns are only ever touched by `db::search`, so they are left out here.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        bio -> Text,
        role -> Text,
        password_hash -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        trusted -> Bool,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    app_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (bucket) {
        bucket -> Text,
        tat_ms -> BigInt,
        allowed -> Bool,
    }
}

diesel::table! {
    categories (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        description -> Text,
        parent_id -> Nullable<Text>,
        position -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tags (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    articles (id) {
        id -> Text,
        slug -> Text,
        title -> Text,
        summary -> Text,
        cover_image_url -> Nullable<Text>,
        cover_image_caption -> Nullable<Text>,
        category_id -> Text,
        status -> Text,
        featured -> Bool,
        published_at -> Nullable<Timestamp>,
        scheduled_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
        version -> BigInt,
        reading_time_minutes -> Integer,
        comment_count -> Integer,
        tags_json -> Text,
        authors_json -> Text,
        corrections_json -> Text,
        body -> Text,
        body_html -> Text,
        cover_media_id -> Nullable<Text>,
        cover_media_json -> Nullable<Text>,
        seo_title -> Nullable<Text>,
        seo_description -> Nullable<Text>,
        seo_image_url -> Nullable<Text>,
        canonical_url -> Nullable<Text>,
        expires_at -> Nullable<Timestamp>,
        breaking_until -> Nullable<Timestamp>,
        comments_mode -> Text,
    }
}

diesel::table! {
    article_slugs (slug) {
        slug -> Text,
        article_id -> Text,
        retired_at -> Timestamp,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        url -> Text,
        secret -> Text,
        events -> Text,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> Text,
        event_type -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        latency_ms -> Integer,
        response_excerpt -> Text,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    category_slugs (slug) {
        slug -> Text,
        category_id -> Text,
        retired_at -> Timestamp,
    }
}

diesel::table! {
    media (id) {
        id -> Text,
        sha256 -> Text,
        format -> Text,
        width -> Integer,
        height -> Integer,
        bytes -> BigInt,
        alt_text -> Text,
        caption -> Text,
        credit -> Text,
        license -> Text,
        focal_x -> Integer,
        focal_y -> Integer,
        uploaded_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    article_media (article_id, media_id) {
        article_id -> Text,
        media_id -> Text,
    }
}

diesel::table! {
    article_tags (article_id, tag_id) {
        article_id -> Text,
        tag_id -> Text,
    }
}

diesel::table! {
    article_authors (article_id, user_id) {
        article_id -> Text,
        user_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    revisions (id) {
        id -> Text,
        article_id -> Text,
        version -> BigInt,
        title -> Text,
        summary -> Text,
        body -> Text,
        editor_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> Text,
        article_id -> Text,
        author_id -> Text,
        parent_id -> Nullable<Text>,
        body -> Nullable<Text>,
        status -> Text,
        reply_count -> Integer,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(articles -> categories (category_id));
diesel::joinable!(articles -> users (created_by));
diesel::joinable!(article_tags -> articles (article_id));
diesel::joinable!(article_tags -> tags (tag_id));
diesel::joinable!(article_authors -> articles (article_id));
diesel::joinable!(article_authors -> users (user_id));
diesel::joinable!(revisions -> articles (article_id));
diesel::joinable!(revisions -> users (editor_id));
diesel::joinable!(comments -> articles (article_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(media -> users (uploaded_by));
diesel::joinable!(article_media -> articles (article_id));
diesel::joinable!(article_media -> media (media_id));
diesel::joinable!(article_slugs -> articles (article_id));
diesel::joinable!(category_slugs -> categories (category_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::table! {
    article_previews (id) {
        id -> Text,
        article_id -> Text,
        token_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    article_corrections (id) {
        id -> Text,
        article_id -> Text,
        kind -> Text,
        body -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(article_corrections -> articles (article_id));
diesel::joinable!(article_corrections -> users (created_by));
diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(article_previews -> articles (article_id));
diesel::joinable!(article_previews -> users (created_by));

diesel::table! {
    collections (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        description -> Text,
        max_items -> Integer,
        version -> BigInt,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    collection_items (collection_id, position) {
        collection_id -> Text,
        position -> Integer,
        article_id -> Text,
    }
}

diesel::table! {
    comment_reports (id) {
        id -> Text,
        comment_id -> Text,
        reporter_id -> Text,
        reason -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(comment_reports -> comments (comment_id));
diesel::joinable!(comment_reports -> users (reporter_id));
diesel::joinable!(collection_items -> collections (collection_id));
diesel::joinable!(collection_items -> articles (article_id));

diesel::table! {
    article_trash (article_id) {
        article_id -> Text,
        slug -> Text,
        title -> Text,
        status -> Text,
        version -> BigInt,
        comment_count -> Integer,
        deleted_by -> Text,
        deleted_at -> Timestamp,
        snapshot -> Text,
    }
}

diesel::joinable!(article_trash -> users (deleted_by));

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_kind -> Text,
        target_id -> Text,
        before_version -> Nullable<BigInt>,
        after_version -> Nullable<BigInt>,
    }
}

diesel::joinable!(audit_log -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    app_secrets,
    categories,
    tags,
    articles,
    article_tags,
    article_authors,
    revisions,
    comments,
    media,
    article_media,
    article_slugs,
    category_slugs,
    webhooks,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
    article_previews,
    article_corrections,
    collections,
    collection_items,
    article_trash,
    audit_log,
    comment_reports,
    password_resets,
);
