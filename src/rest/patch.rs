//! PATCH bodies: a member may be absent (leave as is), `null` (clear) or a value.

/// Reads a PATCH member that may be absent (`None`), `null` (`Some(None)`) or
/// a value: use with `#[serde(default, deserialize_with = "double_option")]`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}
