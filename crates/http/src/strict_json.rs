//! Request bodies read the way the API document describes them: an object
//! is only ever read from a JSON object.
//!
//! serde's derived `Deserialize` for a struct also accepts a sequence of its
//! field values in declaration order (for formats without field names), and
//! serde_json offers it one whenever the JSON has an array where the struct
//! is expected. So `{"preferences": [["casual"]]}` set a member's styles, and
//! `{"budget": []}` answered "expected struct MoneyInput with 2 elements".
//! serde's maintainers leave this to the data format (serde-rs/serde#1587),
//! so [`Strict`] is that format: a deserializer over a parsed
//! [`serde_json::Value`] that reads structs from objects only, and keeps
//! every nested value strict too. Everything else is serde_json's own.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::{Map, Value};

/// A JSON value to deserialize with structs read from objects only.
pub struct Strict(pub Value);

type Error = serde_json::Error;

fn not_an_object(value: &Value) -> Error {
    let unexpected = match value {
        Value::Array(_) => Unexpected::Seq,
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Object(_) => Unexpected::Map,
    };
    de::Error::invalid_type(unexpected, &"a JSON object")
}

impl<'de> Deserializer<'de> for Strict {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(entries) => visit_object(entries, visitor),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(entries) => visit_object(entries, visitor),
            other => Err(not_an_object(&other)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(entries) => visit_object(entries, visitor),
            other => Err(not_an_object(&other)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(Strict(value)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // The API's enums are strings (unit variants); serde_json reads those
        // and refuses anything else.
        self.0.deserialize_enum(name, variants, visitor)
    }

    // Scalars, strings, identifiers and ignored values are serde_json's.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct identifier ignored_any
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: Vec<Value>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut access = StrictSeq { items: items.into_iter() };
    let value = visitor.visit_seq(&mut access)?;
    if access.items.as_slice().is_empty() {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

fn visit_object<'de, V: Visitor<'de>>(entries: Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
    let len = entries.len();
    let mut access = StrictMap { entries: entries.into_iter(), value: None };
    let value = visitor.visit_map(&mut access)?;
    if access.entries.next().is_none() {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

struct StrictSeq {
    items: std::vec::IntoIter<Value>,
}

impl<'de> SeqAccess<'de> for StrictSeq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.items.next().map(|item| seed.deserialize(Strict(item))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct StrictMap {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for StrictMap {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Strict(value)),
            None => Err(de::Error::custom("a map value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::json;

    use super::Strict;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        styles: Vec<String>,
        #[serde(default)]
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        inner: Option<Inner>,
        #[serde(default)]
        list: Vec<Inner>,
        #[serde(default)]
        by_name: BTreeMap<String, Inner>,
        #[serde(default)]
        count: Option<u8>,
    }

    fn read(value: serde_json::Value) -> Result<Outer, String> {
        Outer::deserialize(Strict(value)).map_err(|e| e.to_string())
    }

    #[test]
    fn objects_read_as_serde_json_reads_them() {
        let outer = read(json!({
            "inner": {"styles": ["casual"]},
            "list": [{"styles": [], "note": "n"}],
            "by_name": {"a": {"styles": ["x"]}},
            "count": 3
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(outer.inner, Some(Inner { styles: vec!["casual".into()], note: None }));
        assert_eq!(outer.list, vec![Inner { styles: vec![], note: Some("n".into()) }]);
        assert_eq!(outer.by_name.get("a").map(|i| i.styles.clone()), Some(vec!["x".into()]));
        assert_eq!(outer.count, Some(3));
        assert_eq!(read(json!({"inner": null})).map(|o| o.inner), Ok(None));
    }

    #[test]
    fn a_struct_is_never_read_from_an_array_at_any_depth() {
        for body in [
            json!(["x"]),
            json!({"inner": [["casual"]]}),
            json!({"inner": []}),
            json!({"list": [[[]]]}),
            json!({"by_name": {"a": [[]]}}),
            json!({"by_name": []}),
        ] {
            let error = read(body.clone()).err().unwrap_or_else(|| panic!("{body} was accepted"));
            assert!(error.contains("expected a JSON object"), "{body}: {error}");
        }
    }

    #[test]
    fn serde_json_still_judges_everything_else() {
        let unknown = read(json!({"inner": {"styles": [], "colour": 1}})).err().unwrap_or_default();
        assert!(unknown.contains("unknown field `colour`"), "{unknown}");
        let wrong = read(json!({"count": 300})).err().unwrap_or_default();
        assert!(wrong.contains("invalid value"), "{wrong}");
        let scalar = read(json!({"inner": "casual"})).err().unwrap_or_default();
        assert!(scalar.contains("expected a JSON object"), "{scalar}");
    }
}
