//! The benchmark's ceiling: the smallest actix-web server that answers every
//! request with the same bytes, read once from a file. Newsdesk's throughput
//! is reported as a fraction of this one's, measured in the same run.
//!
//! Usage: `bench-ceiling <bind address> <body file> [content type]`

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(bind), Some(file)) = (args.next(), args.next()) else {
        eprintln!("usage: bench-ceiling <bind address> <body file> [content type]");
        std::process::exit(2);
    };
    let content_type = args.next().unwrap_or_else(|| "application/json".to_owned());
    let body = web::Bytes::from(std::fs::read(&file)?);
    HttpServer::new(move || {
        let body = body.clone();
        let content_type = content_type.clone();
        App::new().default_service(web::to(move || {
            let body = body.clone();
            let content_type = content_type.clone();
            async move { HttpResponse::Ok().content_type(content_type).body(body) }
        }))
    })
    .bind(bind)?
    .run()
    .await
}
