//! Images in and out: checking and cleaning an upload (`codec`), drawing
//! its renditions (`render`), and keeping the files (`store`). Pure image
//! work and storage only; who may do what is the service layer's.

pub mod codec;
pub mod render;
pub mod store;
