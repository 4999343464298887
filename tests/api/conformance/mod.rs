//! What standard client tools expect of both APIs, checked item by item:
//! the GraphQL spec and its conventions, a complete OpenAPI contract, HTTP
//! semantics (405, CORS, empty patches).

mod graphql;
mod rest;
mod ws;
