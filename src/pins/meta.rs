//! `data.txt` and `_pins.yaml`, rendered exactly as R `pins` writes them (docs/pins-format.md
//! §5–§8), with a small hand-written YAML emitter: both readers resolve scalars with YAML 1.1
//! rules (`yes`, `on`, `n` are booleans there), which a generic YAML 1.2 emitter would not guard
//! against.

use std::fmt::Write as _;

/// A YAML value, as far as pins metadata needs one. Mappings keep insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl From<&str> for Yaml {
    fn from(s: &str) -> Yaml {
        Yaml::Str(s.to_string())
    }
}

impl From<String> for Yaml {
    fn from(s: String) -> Yaml {
        Yaml::Str(s)
    }
}

impl<T: Into<Yaml>> From<Option<T>> for Yaml {
    fn from(v: Option<T>) -> Yaml {
        v.map(Into::into).unwrap_or(Yaml::Null)
    }
}

/// The fields of one pin version's `data.txt`, in pins-r's order.
#[derive(Debug, Clone, PartialEq)]
pub struct PinMeta {
    pub file: String,
    pub file_size: u64,
    pub pin_hash: String,
    pub title: String,
    pub description: Option<String>,
    pub tags: Option<Vec<String>>,
    pub urls: Option<Vec<String>>,
    /// `YYYYMMDDTHHMMSSZ`, UTC.
    pub created: String,
    /// The `user:` mapping (left out when empty, as R does).
    pub user: Vec<(String, Yaml)>,
}

impl PinMeta {
    pub fn render(&self) -> String {
        let list = |v: &Option<Vec<String>>| match v {
            None => Yaml::Null,
            Some(items) => Yaml::Seq(items.iter().map(|s| Yaml::from(s.as_str())).collect()),
        };
        let mut fields: Vec<(String, Yaml)> = vec![
            ("file".into(), self.file.as_str().into()),
            ("file_size".into(), int_or_float(self.file_size)),
            ("pin_hash".into(), Yaml::Str(self.pin_hash.clone())),
            ("type".into(), "parquet".into()),
            ("title".into(), self.title.as_str().into()),
            ("description".into(), self.description.clone().into()),
            ("tags".into(), list(&self.tags)),
            ("urls".into(), list(&self.urls)),
            ("created".into(), self.created.as_str().into()),
            ("api_version".into(), Yaml::Int(1)),
        ];
        if !self.user.is_empty() {
            fields.push(("user".into(), Yaml::Map(self.user.clone())));
        }
        let mut out = String::new();
        write_mapping(&mut out, &fields, 0);
        out
    }
}

/// The board manifest: each pin name → its version directories, oldest first.
pub fn render_manifest(pins: &[(String, Vec<String>)]) -> String {
    if pins.is_empty() {
        return "{}\n".into();
    }
    let entries: Vec<(String, Yaml)> = pins
        .iter()
        .map(|(name, versions)| {
            (
                name.clone(),
                Yaml::Seq(
                    versions
                        .iter()
                        .map(|v| Yaml::Str(format!("{name}/{v}/")))
                        .collect(),
                ),
            )
        })
        .collect();
    let mut out = String::new();
    write_mapping(&mut out, &entries, 0);
    out
}

/// R's yaml turns integers beyond 32 bits into NA: write those as floats.
pub fn int_or_float(n: u64) -> Yaml {
    if n <= i32::MAX as u64 {
        Yaml::Int(n as i64)
    } else {
        Yaml::Float(n as f64)
    }
}

fn write_mapping(out: &mut String, entries: &[(String, Yaml)], indent: usize) {
    for (key, value) in entries {
        let pad = " ".repeat(indent);
        let key = scalar_string(key);
        match value {
            Yaml::Map(children) if !children.is_empty() => {
                let _ = writeln!(out, "{pad}{key}:");
                write_mapping(out, children, indent + 2);
            }
            Yaml::Seq(items) if !items.is_empty() => {
                let _ = writeln!(out, "{pad}{key}:");
                for item in items {
                    let _ = writeln!(out, "{pad}- {}", scalar(item));
                }
            }
            other => {
                let _ = writeln!(out, "{pad}{key}: {}", scalar(other));
            }
        }
    }
}

fn scalar(v: &Yaml) -> String {
    match v {
        Yaml::Null => "~".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(n) if n.unsigned_abs() <= i32::MAX as u64 => n.to_string(),
        Yaml::Int(n) => float(*n as f64),
        Yaml::Float(f) => float(*f),
        Yaml::Str(s) => scalar_string(s),
        Yaml::Seq(items) if items.is_empty() => "[]".into(),
        Yaml::Map(entries) if entries.is_empty() => "{}".into(),
        // Nested collections inside sequences are not needed by pins metadata.
        Yaml::Seq(_) | Yaml::Map(_) => "~".into(),
    }
}

/// Floats never in exponent form: PyYAML reads `1e10` as a string.
fn float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    }
}

fn is_plain(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return false;
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_.()/ -".contains(c);
    if !s.chars().all(allowed) {
        return false;
    }
    let last = s.chars().last().expect("non-empty");
    if last == ' ' || last == '-' {
        return false;
    }
    !matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null"
    )
}

fn needs_double_quotes(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
    )
}

fn scalar_string(s: &str) -> String {
    // Fixed-format fields: `created` and hashes with letters read back as strings when plain.
    let fixed_created = s.len() == 16
        && s.as_bytes()[8] == b'T'
        && s.ends_with('Z')
        && s[..8].bytes().all(|b| b.is_ascii_digit())
        && s[9..15].bytes().all(|b| b.is_ascii_digit());
    let hex_with_letter = s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        && !s.bytes().all(|b| b.is_ascii_digit() || b == b'e')
        && s.as_bytes()[0].is_ascii_digit();
    if fixed_created || hex_with_letter || is_plain(s) {
        return s.to_string();
    }
    if !s.chars().any(needs_double_quotes) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads a top-level or `user:`-level scalar back from a `data.txt` we wrote (plain or
/// single-quoted), e.g. the fingerprint that tells whether a pin is current. Not a YAML parser.
pub fn read_field(data_txt: &str, key: &str, indent: usize) -> Option<String> {
    let prefix = format!("{}{key}: ", " ".repeat(indent));
    let line = data_txt.lines().find(|l| l.starts_with(&prefix))?;
    let raw = &line[prefix.len()..];
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        Some(inner.replace("''", "'"))
    } else if raw == "~" {
        None
    } else {
        Some(raw.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The golden inputs as YAML values, keeping the JSON objects' key order (serde_json's own
    /// map sorts keys unless its `preserve_order` feature is on) and telling `3` from `3.0`.
    struct Ordered(Yaml);

    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON value")
                }
                fn visit_unit<E>(self) -> Result<Ordered, E> {
                    Ok(Ordered(Yaml::Null))
                }
                fn visit_bool<E>(self, b: bool) -> Result<Ordered, E> {
                    Ok(Ordered(Yaml::Bool(b)))
                }
                fn visit_i64<E>(self, n: i64) -> Result<Ordered, E> {
                    Ok(Ordered(Yaml::Int(n)))
                }
                fn visit_u64<E>(self, n: u64) -> Result<Ordered, E> {
                    Ok(Ordered(Yaml::Int(n as i64)))
                }
                fn visit_f64<E>(self, n: f64) -> Result<Ordered, E> {
                    Ok(Ordered(Yaml::Float(n)))
                }
                fn visit_str<E>(self, s: &str) -> Result<Ordered, E> {
                    Ok(Ordered(Yaml::Str(s.to_string())))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Ordered, A::Error> {
                    let mut items = Vec::new();
                    while let Some(Ordered(v)) = seq.next_element()? {
                        items.push(v);
                    }
                    Ok(Ordered(Yaml::Seq(items)))
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Ordered, A::Error> {
                    let mut entries = Vec::new();
                    while let Some((k, Ordered(v))) = map.next_entry::<String, Ordered>()? {
                        entries.push((k, v));
                    }
                    Ok(Ordered(Yaml::Map(entries)))
                }
            }
            d.deserialize_any(V)
        }
    }

    fn golden(name: &str) -> (PinMeta, String) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pins_golden/lakegate/");
        let inputs: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{dir}{name}.inputs.json")).unwrap(),
        )
        .unwrap();
        let expected = std::fs::read_to_string(format!("{dir}{name}.txt")).unwrap();
        let s = |k: &str| inputs[k].as_str().map(str::to_string);
        let list = |k: &str| {
            inputs[k].as_array().map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
        };
        let text = std::fs::read_to_string(format!("{dir}{name}.inputs.json")).unwrap();
        let user = match serde_json::from_str::<Ordered>(&text).unwrap().0 {
            Yaml::Map(top) => match top.into_iter().find(|(k, _)| k == "user") {
                Some((_, Yaml::Map(m))) => m,
                _ => vec![],
            },
            _ => vec![],
        };
        let meta = PinMeta {
            file: s("file").unwrap(),
            file_size: inputs["file_size"].as_u64().unwrap(),
            pin_hash: s("pin_hash").unwrap(),
            title: s("title").unwrap(),
            description: s("description"),
            tags: list("tags"),
            urls: list("urls"),
            created: s("created").unwrap(),
            user,
        };
        (meta, expected)
    }

    #[test]
    fn renders_the_golden_data_txt() {
        let (meta, expected) = golden("data");
        assert_eq!(meta.render(), expected);
    }

    #[test]
    fn renders_every_quoting_rule_like_the_golden_file() {
        let (meta, expected) = golden("data_tricky");
        assert_eq!(meta.render(), expected);
    }

    #[test]
    fn manifest_matches_pins_r() {
        let got = render_manifest(&[
            ("x".into(), vec!["20221215T180351Z-c3943".into()]),
            (
                "y".into(),
                vec![
                    "20221215T180357Z-9ae7a".into(),
                    "20221215T180400Z-b81d5".into(),
                ],
            ),
        ]);
        assert_eq!(
            got,
            "x:\n- x/20221215T180351Z-c3943/\n'y':\n- y/20221215T180357Z-9ae7a/\n- y/20221215T180400Z-b81d5/\n"
        );
        assert_eq!(render_manifest(&[]), "{}\n");
    }

    #[test]
    fn fields_read_back() {
        let (meta, _) = golden("data");
        let text = meta.render();
        assert_eq!(
            read_field(&text, "pin_hash", 0).unwrap(),
            "58c0f099c180791c"
        );
        assert_eq!(
            read_field(&text, "description", 0).unwrap(),
            "Energy Performance Certificates: one row per certificate."
        );
        assert_eq!(read_field(&text, "row_count", 2).unwrap(), "3");
    }
}
