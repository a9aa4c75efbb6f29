//! Hand-written tests: DataRow framing, COPY, bind parameters, plans, type table and time zone
//! parsing. Expected bytes were produced by PostgreSQL 15.18 (COPY ... TO STDOUT, psql, and the
//! binary result format), see gen_golden.py for the method.

use super::*;
use crate::encode::arrow::datatypes::Int32Type;
use crate::encode::arrow::record_batch::RecordBatch;
use crate::encode::column::EncodedColumn;
use crate::encode::types::{array_of, element_of, plan_column, type_name};
use crate::lake::types::{BindValue, LogicalType};
use bytes::BytesMut;

// Outputs of PostgreSQL for COPY (<the three rows of mixed_batch()>) TO STDOUT, TimeZone
// Europe/London, with the options named.
const COPY_TEXT: &[u8] = b"1\ttab\\there, new\\nline \\\\ back \"q\" cr\\r bs\\b ff\\f vtv\t1.5\t-0.50\tt\t\\\\x00ff\t2020-01-01 01:02:03.5\t2020-07-01 13:00:00+01\t0044-03-15 BC\t1 day -00:00:01\t{\"a b\",NULL,\"\"}\t{\"k\": \"v,w\"}\t550e8400-e29b-41d4-a716-446655440000\t\\N\n\\N\t\tNaN\t\\N\tf\t\\\\x\t\\N\t\\N\tinfinity\t\\N\t{}\t\\N\t\\N\t\\\\.\n-7\tplain\t\\N\t12345678.91\t\\N\t\\N\t-infinity\t1799-12-31 23:58:45-00:01:15\t\\N\t-1 years -2 mons\t\\N\t[]\t\\N\tx;y\n";
const COPY_CSV: &[u8] = b"1,\"tab\there, new\nline \\ back \"\"q\"\" cr\r bs\x08 ff\x0c vtv\",1.5,-0.50,t,\\x00ff,2020-01-01 01:02:03.5,2020-07-01 13:00:00+01,0044-03-15 BC,1 day -00:00:01,\"{\"\"a b\"\",NULL,\"\"\"\"}\",\"{\"\"k\"\": \"\"v,w\"\"}\",550e8400-e29b-41d4-a716-446655440000,\n,\"\",NaN,,f,\\x,,,infinity,,{},,,\\.\n-7,plain,,12345678.91,,,-infinity,1799-12-31 23:58:45-00:01:15,,-1 years -2 mons,,[],,x;y\n";
const COPY_CSV_HEADER: &[u8] = b"i,s,f,n,b,by,ts,tz,d,iv,arr,j,u,last\n1,\"tab\there, new\nline \\ back \"\"q\"\" cr\r bs\x08 ff\x0c vtv\",1.5,-0.50,t,\\x00ff,2020-01-01 01:02:03.5,2020-07-01 13:00:00+01,0044-03-15 BC,1 day -00:00:01,\"{\"\"a b\"\",NULL,\"\"\"\"}\",\"{\"\"k\"\": \"\"v,w\"\"}\",550e8400-e29b-41d4-a716-446655440000,\n,\"\",NaN,,f,\\x,,,infinity,,{},,,\\.\n-7,plain,,12345678.91,,,-infinity,1799-12-31 23:58:45-00:01:15,,-1 years -2 mons,,[],,x;y\n";
const COPY_TEXT_PIPE: &[u8] = b"1|tab\\there, new\\nline \\\\ back \"q\" cr\\r bs\\b ff\\f vtv|1.5|-0.50|t|\\\\x00ff|2020-01-01 01:02:03.5|2020-07-01 13:00:00+01|0044-03-15 BC|1 day -00:00:01|{\"a b\",NULL,\"\"}|{\"k\": \"v,w\"}|550e8400-e29b-41d4-a716-446655440000|NIL\nNIL||NaN|NIL|f|\\\\x|NIL|NIL|infinity|NIL|{}|NIL|NIL|\\\\.\n-7|plain|NIL|12345678.91|NIL|NIL|-infinity|1799-12-31 23:58:45-00:01:15|NIL|-1 years -2 mons|NIL|[]|NIL|x;y\n";
const COPY_CSV_SEMICOLON: &[u8] = b"i;s;f;n;b;by;ts;tz;d;iv;arr;j;u;last\n1;'tab\there, new\nline \\\\ back \"q\" cr\r bs\x08 ff\x0c vtv';1.5;-0.50;t;\\x00ff;2020-01-01 01:02:03.5;2020-07-01 13:00:00+01;0044-03-15 BC;1 day -00:00:01;{\"a b\",NULL,\"\"};{\"k\": \"v,w\"};550e8400-e29b-41d4-a716-446655440000;NULL\nNULL;;NaN;NULL;f;\\x;NULL;NULL;infinity;NULL;{};NULL;NULL;\\.\n-7;plain;NULL;12345678.91;NULL;NULL;-infinity;1799-12-31 23:58:45-00:01:15;NULL;-1 years -2 mons;NULL;[];NULL;'x;y'\n";
const COPY_BINARY: &str = "5047434f50590aff0d0a000000000000000000000e00000004000000010000002d74616209686572652c206e65770a6c696e65205c206261636b202271222063720d206273082066660c20767476000000083ff80000000000000000000a0001ffff40000002138800000001010000000200ff0000000800023e0864b279e00000000800024c5ecccc500000000004fff49d7b00000010fffffffffff0bdc0000000010000000000000023000000010000000100000019000000030000000100000003612062ffffffff000000000000000c7b226b223a2022762c77227d00000010550e8400e29b41d4a716446655440000ffffffff000effffffff00000000000000087ff8000000000000ffffffff000000010000000000ffffffffffffffff000000047fffffffffffffff0000000c000000000000000000000019ffffffffffffffff000000025c2e000e00000004fffffff900000005706c61696effffffff0000000e000300010000000204d2162e238cffffffffffffffff00000008800000000000000000000008ffe993dcf8170000ffffffff00000010000000000000000000000000fffffff2ffffffff000000025b5dffffffff00000003783b79ffff";
const COPY_SINGLE: &[u8] = b"x\n\"\\.\"\na\n\n\"\"\n";
const COPY_CONTROL: &[u8] = b"a\\vb\\\x01c\\\\d\x01x\n";

fn pg(o: u32) -> PgType {
    PgType::from_oid(o).unwrap()
}

const NAMES: [&str; 14] = [
    "i", "s", "f", "n", "b", "by", "ts", "tz", "d", "iv", "arr", "j", "u", "last",
];

/// Three rows of fourteen mixed columns, with NULLs, escapes and infinities.
fn mixed_batch() -> (RecordBatch, Vec<PgType>) {
    let tricky = "tab\there, new\nline \\ back \"q\" cr\r bs\u{8} ff\u{c} vtv";
    let cols: Vec<(ArrayRef, PgType)> = vec![
        (
            Arc::new(Int32Array::from(vec![Some(1), None, Some(-7)])),
            pg(oid::INT4),
        ),
        (
            Arc::new(StringArray::from(vec![tricky, "", "plain"])),
            pg(oid::TEXT),
        ),
        (
            Arc::new(Float64Array::from(vec![Some(1.5), Some(f64::NAN), None])),
            pg(oid::FLOAT8),
        ),
        (
            Arc::new(
                Decimal128Array::from(vec![Some(-50), None, Some(1234567891)])
                    .with_precision_and_scale(10, 2)
                    .unwrap(),
            ),
            PgType::numeric(10, 2),
        ),
        (
            Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])),
            pg(oid::BOOL),
        ),
        (
            Arc::new(BinaryArray::from(vec![
                Some(&b"\x00\xff"[..]),
                Some(&b""[..]),
                None,
            ])),
            pg(oid::BYTEA),
        ),
        (
            Arc::new(TimestampMicrosecondArray::from(vec![
                Some(1577840523500000),
                None,
                Some(-i64::MAX),
            ])),
            pg(oid::TIMESTAMP),
        ),
        (
            Arc::new(
                TimestampMicrosecondArray::from(vec![
                    Some(1593604800000000),
                    None,
                    Some(-5364662400000000),
                ])
                .with_timezone("Europe/London"),
            ),
            pg(oid::TIMESTAMPTZ),
        ),
        (
            Arc::new(Date32Array::from(vec![Some(-735160), Some(i32::MAX), None])),
            pg(oid::DATE),
        ),
        (
            Arc::new(IntervalMonthDayNanoArray::from(vec![
                Some(IntervalMonthDayNano::new(0, 1, -1_000_000_000)),
                None,
                Some(IntervalMonthDayNano::new(-14, 0, 0)),
            ])),
            pg(oid::INTERVAL),
        ),
        (
            list(
                Arc::new(StringArray::from(vec![Some("a b"), None, Some("")])),
                &[Some(3), Some(0), None],
            ),
            pg(oid::TEXT_ARRAY),
        ),
        (
            Arc::new(StringArray::from(vec![
                Some(r#"{"k": "v,w"}"#),
                None,
                Some("[]"),
            ])),
            pg(oid::JSON),
        ),
        (
            Arc::new(StringArray::from(vec![
                Some("550e8400-e29b-41d4-a716-446655440000"),
                None,
                None,
            ])),
            pg(oid::UUID),
        ),
        (
            Arc::new(StringArray::from(vec![None, Some("\\."), Some("x;y")])),
            pg(oid::TEXT),
        ),
    ];
    let (arrays, types): (Vec<ArrayRef>, Vec<PgType>) = cols.into_iter().unzip();
    let batch = RecordBatch::try_from_iter(NAMES.iter().zip(arrays)).unwrap();
    (batch, types)
}

fn london() -> EncodeOptions {
    EncodeOptions {
        time_zone: TimeZone::parse("Europe/London").unwrap(),
        extra_float_digits: 1,
    }
}

fn copy_all(format: CopyFormat) -> Vec<u8> {
    let (batch, types) = mixed_batch();
    let names = NAMES.iter().map(|s| s.to_string()).collect();
    let enc = CopyEncoder::new(types, names, format, london());
    let mut out = BytesMut::new();
    enc.header(&mut out);
    // Two batches, to check that state does not leak between them.
    enc.encode_batch(&batch.slice(0, 2), &mut out).unwrap();
    enc.encode_batch(&batch.slice(2, 1), &mut out).unwrap();
    enc.trailer(&mut out);
    out.to_vec()
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn copy_text() {
    assert_eq!(show(&copy_all(CopyFormat::text())), show(COPY_TEXT));
}

#[test]
fn copy_text_options() {
    let f = CopyFormat::Text {
        delimiter: b'|',
        null: "NIL".into(),
    };
    assert_eq!(show(&copy_all(f)), show(COPY_TEXT_PIPE));
}

#[test]
fn copy_text_control_characters() {
    let batch = RecordBatch::try_from_iter([
        (
            "a",
            Arc::new(StringArray::from(vec!["a\u{b}b\u{1}c\\d"])) as ArrayRef,
        ),
        ("b", Arc::new(StringArray::from(vec!["x"])) as ArrayRef),
    ])
    .unwrap();
    let f = CopyFormat::Text {
        delimiter: 1,
        null: "\\N".into(),
    };
    let enc = CopyEncoder::new(vec![pg(oid::TEXT); 2], vec![], f, EncodeOptions::default());
    let mut out = BytesMut::new();
    enc.encode_batch(&batch, &mut out).unwrap();
    assert_eq!(&out[..], COPY_CONTROL);
}

#[test]
fn copy_csv() {
    assert_eq!(show(&copy_all(CopyFormat::csv())), show(COPY_CSV));
}

#[test]
fn copy_csv_header() {
    let f = CopyFormat::Csv {
        delimiter: b',',
        quote: b'"',
        escape: b'"',
        null: String::new(),
        header: true,
    };
    assert_eq!(show(&copy_all(f)), show(COPY_CSV_HEADER));
}

#[test]
fn copy_csv_options() {
    let f = CopyFormat::Csv {
        delimiter: b';',
        quote: b'\'',
        escape: b'\\',
        null: "NULL".into(),
        header: true,
    };
    assert_eq!(show(&copy_all(f)), show(COPY_CSV_SEMICOLON));
}

#[test]
fn copy_csv_single_column_end_marker() {
    let batch = RecordBatch::try_from_iter([(
        "x",
        Arc::new(StringArray::from(vec![
            Some("\\."),
            Some("a"),
            None,
            Some(""),
        ])) as ArrayRef,
    )])
    .unwrap();
    let f = CopyFormat::Csv {
        delimiter: b',',
        quote: b'"',
        escape: b'"',
        null: String::new(),
        header: true,
    };
    let enc = CopyEncoder::new(
        vec![pg(oid::TEXT)],
        vec!["x".into()],
        f,
        EncodeOptions::default(),
    );
    let mut out = BytesMut::new();
    enc.header(&mut out);
    enc.encode_batch(&batch, &mut out).unwrap();
    enc.trailer(&mut out);
    assert_eq!(show(&out), show(COPY_SINGLE));
}

#[test]
fn copy_binary() {
    let got = copy_all(CopyFormat::Binary);
    assert_eq!(got, unhex(COPY_BINARY));
}

/// DataRow bodies are the binary COPY tuples without their field count; text ones hold the
/// same texts as COPY text, unescaped.
#[test]
fn data_rows() {
    let (batch, types) = mixed_batch();
    let cols = || types.iter().copied();
    let binary = RowEncoder::new(cols().map(|t| (t, Format::Binary)).collect(), london());
    let mut out = BytesMut::from(&b"prefix"[..]);
    let mut ends = vec![];
    binary.encode_batch(&batch, &mut out, &mut ends).unwrap();
    let copy = unhex(COPY_BINARY);
    // Strip the 19-byte header and 2-byte trailer; split tuples at their i16 field counts.
    let mut tuples = vec![];
    let mut pos = 19;
    let mut start = 6;
    for &end in &ends {
        let len = end - start;
        tuples.push((
            copy[pos..pos + 2].to_vec(),
            copy[pos + 2..pos + 2 + len].to_vec(),
        ));
        pos += 2 + len;
        start = end;
    }
    assert_eq!(pos, copy.len() - 2, "row ends {ends:?}");
    let mut start = 6;
    for (i, (count, body)) in tuples.iter().enumerate() {
        assert_eq!(count, &14i16.to_be_bytes());
        assert_eq!(&out[start..ends[i]], &body[..], "row {i}");
        start = ends[i];
    }
    assert_eq!(&out[..6], b"prefix");

    // Text format with mixed binary columns: row 3, text for all but the int4.
    let mut formats: Vec<(PgType, Format)> = cols().map(|t| (t, Format::Text)).collect();
    formats[0].1 = Format::Binary;
    let text = RowEncoder::new(formats, london());
    let mut out = BytesMut::new();
    let mut ends = vec![];
    text.encode_batch(&batch.slice(2, 1), &mut out, &mut ends)
        .unwrap();
    let mut want = vec![];
    let fields: [Option<&[u8]>; 14] = [
        Some(&(-7i32).to_be_bytes()),
        Some(b"plain"),
        None,
        Some(b"12345678.91"),
        None,
        None,
        Some(b"-infinity"),
        Some(b"1799-12-31 23:58:45-00:01:15"),
        None,
        Some(b"-1 years -2 mons"),
        None,
        Some(b"[]"),
        None,
        Some(b"x;y"),
    ];
    for f in fields {
        match f {
            None => want.extend_from_slice(&(-1i32).to_be_bytes()),
            Some(v) => {
                want.extend_from_slice(&(v.len() as i32).to_be_bytes());
                want.extend_from_slice(v);
            }
        }
    }
    assert_eq!(&out[..], &want[..]);
    assert_eq!(ends, vec![want.len()]);
}

#[test]
fn column_count_mismatch_is_an_error() {
    let (batch, types) = mixed_batch();
    let enc = RowEncoder::new(vec![(types[0], Format::Text)], EncodeOptions::default());
    let err = enc
        .encode_batch(&batch, &mut BytesMut::new(), &mut vec![])
        .unwrap_err();
    assert_eq!(err.sqlstate, "XX000");
}

#[test]
fn sliced_arrays() {
    let a = Int32Array::from(vec![1, 2, 3, 4]).slice(1, 2);
    check(
        "slice",
        &a,
        pg(oid::INT4),
        &EncodeOptions::default(),
        &[Some("2"), Some("3")],
        &[Some("00000002"), Some("00000003")],
    );
    let l = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
        Some(vec![Some(1)]),
        Some(vec![Some(2), Some(3)]),
        None,
        Some(vec![]),
    ]);
    let l = l.slice(1, 3);
    check(
        "list slice",
        &l,
        pg(oid::INT4_ARRAY),
        &EncodeOptions::default(),
        &[Some("{2,3}"), None, Some("{}")],
        &[
            Some("000000010000000000000017000000020000000100000004000000020000000400000003"),
            None,
            Some("000000000000000000000017"),
        ],
    );
}

#[test]
fn dictionary_enum() {
    let keys = UInt8Array::from(vec![Some(1), None, Some(0), Some(1)]);
    let values = Arc::new(StringArray::from(vec!["red", "green"]));
    let dict = DictionaryArray::new(keys, values);
    check(
        "enum",
        &dict,
        pg(oid::TEXT),
        &EncodeOptions::default(),
        &[Some("green"), None, Some("red"), Some("green")],
        &[Some("677265656e"), None, Some("726564"), Some("677265656e")],
    );
}

#[test]
fn sqlnull_columns() {
    // DuckDB exports SQLNULL as an all-NULL int32; Arrow's Null type too.
    let opts = EncodeOptions::default();
    check(
        "sqlnull",
        &Int32Array::from(vec![None, None]),
        pg(oid::TEXT),
        &opts,
        &[None, None],
        &[None, None],
    );
    check(
        "null type",
        &NullArray::new(2),
        pg(oid::TEXT),
        &opts,
        &[None, None],
        &[None, None],
    );
}

#[test]
fn uuid_from_fixed_size_binary() {
    let raw = unhex("550e8400e29b41d4a716446655440000");
    let a = FixedSizeBinaryArray::try_from_iter(vec![raw.clone()].into_iter()).unwrap();
    check(
        "uuid fsb",
        &a,
        pg(oid::UUID),
        &EncodeOptions::default(),
        &[Some("550e8400-e29b-41d4-a716-446655440000")],
        &[Some("550e8400e29b41d4a716446655440000")],
    );
}

#[test]
fn encoding_errors() {
    let mut col = EncodedColumn::default();
    let opts = EncodeOptions::default();
    let big = Int32Array::from(vec![40000]);
    let e = encode_column(&big, oid::INT2, Format::Binary, &opts, &mut col).unwrap_err();
    assert_eq!(e.sqlstate, "22003");
    let s = StructArray::from(vec![(
        Arc::new(Field::new("a", DataType::Int32, true)),
        Arc::new(Int32Array::from(vec![1])) as ArrayRef,
    )]);
    let e = encode_column(&s, oid::JSON, Format::Text, &opts, &mut col).unwrap_err();
    assert_eq!(e.sqlstate, "0A000");
    let bad = StringArray::from(vec!["not-a-uuid"]);
    let e = encode_column(&bad, oid::UUID, Format::Binary, &opts, &mut col).unwrap_err();
    assert_eq!(e.sqlstate, "22P02");
    let bad = StringArray::from(vec!["012"]);
    let e = encode_column(&bad, oid::VARBIT, Format::Binary, &opts, &mut col).unwrap_err();
    assert_eq!(e.sqlstate, "22P02");
}

// (declared OID, PostgreSQL binary send output, expected BindValue), from PostgreSQL 15.
#[rustfmt::skip]
fn param_cases() -> Vec<(u32, &'static str, BindValue)> {
    vec![
        (16, "01", BindValue::Bool(true)), // true
        (16, "00", BindValue::Bool(false)), // false
        (21, "8000", BindValue::Int(-32768)), // (-32768)::int2
        (23, "00003039", BindValue::Int(12345)), // 12345::int4
        (23, "80000000", BindValue::Int(-2147483648)), // (-2147483648)::int4
        (20, "7fffffffffffffff", BindValue::Int(9223372036854775807)), // 9223372036854775807::int8
        (26, "ee6b2800", BindValue::Int(4000000000)), // 4000000000::oid
        (700, "3fc00000", BindValue::Float(1.5)), // 1.5::float4
        (700, "3dcccccd", BindValue::Float(0.1f32 as f64)), // 0.1::float4
        (701, "fff0000000000000", BindValue::Float(f64::NEG_INFINITY)), // '-Infinity'::float8
        (701, "7e37e43c8800759c", BindValue::Float(1e300)), // 1e300::float8
        (25, "68c3a96c6c6f", BindValue::Text("héllo".into())), // 'héllo'::text
        (1043, "76", BindValue::Text("v".into())), // 'v'::varchar
        (1042, "7061642020", BindValue::Text("pad  ".into())), // 'pad'::char(5)
        (19, "6e6d", BindValue::Text("nm".into())), // 'nm'::name
        (114, "7b2261223a205b312c20325d7d", BindValue::Text("{\"a\": [1, 2]}".into())), // '{"a": [1, 2]}'::json
        (3802, "017b2261223a205b312c20325d7d", BindValue::Text("{\"a\": [1, 2]}".into())), // '{"a": [1, 2]}'::jsonb
        (142, "3c782f3e", BindValue::Text("<x/>".into())), // '<x/>'::xml
        (18, "63", BindValue::Text("c".into())), // 'c'::"char"
        (17, "00ff41", BindValue::Blob(unhex("00ff41"))), // '\x00ff41'::bytea
        (1082, "00001cc4", BindValue::Date(18321)), // '2020-02-29'::date
        (1082, "fff49d7b", BindValue::Date(-735160)), // '0044-03-15 BC'::date
        (1082, "7fffffff", BindValue::Text("infinity".into())), // 'infinity'::date
        (1082, "80000000", BindValue::Text("-infinity".into())), // '-infinity'::date
        (1083, "00000000ddf019e0", BindValue::Time(3723500000)), // '01:02:03.5'::time
        (1083, "000000141dd76000", BindValue::Time(86400000000)), // '24:00:00'::time
        (1114, "00023e0864b1d115", BindValue::Timestamp(1577840523456789)), // '2020-01-01 01:02:03.456789'::timestamp
        (1114, "ff1af9e74e1f8800", BindValue::Timestamp(-63517788000000000)), // '0044-03-15 10:00:00 BC'::timestamp
        (1114, "7fffffffffffffff", BindValue::Text("infinity".into())), // 'infinity'::timestamp
        (1184, "00024c5a30a04a00", BindValue::Timestamp(1593585000000000)), // '2020-07-01 12:00:00+05:30'::timestamptz
        (1184, "8000000000000000", BindValue::Text("-infinity".into())), // '-infinity'::timestamptz
        (1266, "00000000ddf019e0ffffb2a8", BindValue::Text("01:02:03.5+05:30".into())), // '01:02:03.5+05:30'::timetz
        (1266, "000000134743bc0000003149", BindValue::Text("23:00:00-03:30:17".into())), // '23:00:00-03:30:17'::timetz
        (1186, "000000036c97ca88000000030000000e", BindValue::Text("14 months 3 days 14706789000 microseconds".into())), // '1 year 2 mons 3 days 04:05:06.789'::interval
        (1186, "00000001b7e1dd00ffffffff00000000", BindValue::Text("0 months -1 days 7380000000 microseconds".into())), // '-1 days +02:03:00'::interval
        (1700, "0000000000000000", BindValue::Text("0".into())), // 0::numeric
        (1700, "0000000000000002", BindValue::Text("0.00".into())), // 0.00::numeric
        (1700, "0001ffff400000021388", BindValue::Text("-0.50".into())), // -0.50::numeric
        (1700, "000b000700000009000c0d801ed204d2162e23340d801ed204d2162e2328", BindValue::Text("123456789012345678901234567890.123456789".into())), // 123456789012345678901234567890.123456789::numeric
        (1700, "0001fffb000000140001", BindValue::Text("0.00000000000000000001".into())), // 1e-20::numeric
        (1700, "00010001000000000001", BindValue::Text("10000".into())), // 10000::numeric
        (1700, "0003000140000004270f00000001", BindValue::Text("-99990000.0001".into())), // -99990000.0001::numeric
        (1700, "00000000c0000000", BindValue::Text("NaN".into())), // 'NaN'::numeric
        (1700, "00000000d0000020", BindValue::Text("Infinity".into())), // 'Infinity'::numeric
        (1700, "00000000f0000020", BindValue::Text("-Infinity".into())), // '-Infinity'::numeric
        (1700, "0001ffff000000040001", BindValue::Text("0.0001".into())), // 0.0001::numeric
        (1700, "0002000000000002000103e8", BindValue::Text("1.10".into())), // 1.10::numeric
        (2950, "550e8400e29b41d4a716446655440000", BindValue::Text("550e8400-e29b-41d4-a716-446655440000".into())), // '550E8400-E29B-41D4-A716-446655440000'::uuid
        (1562, "00000005a8", BindValue::Text("10101".into())), // B'10101'::varbit
        (1560, "00000003a0", BindValue::Text("101".into())), // B'101'::bit(3)
        (1562, "00000000", BindValue::Text("".into())), // B''::varbit
        (1007, "000000010000000100000017000000030000000100000004000000010000000400000002ffffffff", BindValue::Text("{1,2,NULL}".into())), // ARRAY[1,2,NULL]::int4[]
        (1007, "000000000000000000000017", BindValue::Text("{}".into())), // '{}'::int4[]
        (1005, "000000010000000000000015000000020000000100000002000100000002fffe", BindValue::Text("{1,-2}".into())), // ARRAY[1,-2]::int2[]
        (1016, "0000000100000000000000140000000100000001000000087fffffffffffffff", BindValue::Text("{9223372036854775807}".into())), // ARRAY[9223372036854775807]::int8[]
        (1009, "000000010000000100000019000000060000000100000003612062ffffffff00000000000000044e554c4c000000037822790000000a6261636b5c736c617368", BindValue::Text("{\"a b\",NULL,\"\",\"NULL\",\"x\\\"y\",\"back\\\\slash\"}".into())), // ARRAY['a b', NULL, '', 'NULL', 'x"y', 'back\slash']::text[]
        (1015, "00000001000000000000041300000001000000010000000176", BindValue::Text("{v}".into())), // ARRAY['v']::varchar[]
        (1022, "0000000100000000000002bd0000000300000001000000083ff8000000000000000000083fb999999999999a000000087ff8000000000000", BindValue::Text("{1.5,0.1,NaN}".into())), // ARRAY[1.5, 0.1, 'NaN']::float8[]
        (1021, "0000000100000000000002bc0000000100000001000000043fc00000", BindValue::Text("{1.5}".into())), // ARRAY[1.5]::float4[]
        (1000, "000000010000000000000010000000020000000100000001010000000100", BindValue::Text("{t,f}".into())), // ARRAY[true, false]::bool[]
        (1231, "0000000100000000000006a400000002000000010000000c0002000000000002000113880000000a00010000400000000002", BindValue::Text("{1.50,-2}".into())), // ARRAY[1.50, -2]::numeric[]
        (1182, "00000001000000000000043a00000002000000010000000400001c89000000047fffffff", BindValue::Text("{2020-01-01,infinity}".into())), // ARRAY['2020-01-01'::date, 'infinity']
        (1115, "00000001000000000000045a00000001000000010000000800023e0864aad8c0", BindValue::Text("{\"2020-01-01 01:02:03\"}".into())), // ARRAY['2020-01-01 01:02:03'::timestamp]
        (1185, "0000000100000000000004a000000001000000010000000800023e0864aad8c0", BindValue::Text("{\"2020-01-01 01:02:03+00\"}".into())), // ARRAY['2020-01-01 01:02:03+00'::timestamptz]
        (2951, "000000010000000000000b86000000010000000100000010550e8400e29b41d4a716446655440000", BindValue::Text("{550e8400-e29b-41d4-a716-446655440000}".into())), // ARRAY['550e8400-e29b-41d4-a716-446655440000'::uuid]
        (1001, "00000001000000000000001100000001000000010000000101", BindValue::Text("{\"\\\\x01\"}".into())), // ARRAY['\x01'::bytea]
        (199, "0000000100000000000000720000000100000001000000077b2261223a317d", BindValue::Text("{\"{\\\"a\\\":1}\"}".into())), // ARRAY['{"a":1}'::json]
        (1183, "00000001000000000000043b00000001000000010000000800000000dde878c0", BindValue::Text("{01:02:03}".into())), // ARRAY['01:02:03'::time]
        (1007, "000000020000000000000017000000020000000100000002000000010000000400000001000000040000000200000004000000030000000400000004", BindValue::Text("{{1,2},{3,4}}".into())), // ARRAY[[1,2],[3,4]]::int4[]
        (1009, "00000002000000000000001900000001000000010000000200000001000000016100000003622063", BindValue::Text("{{a,\"b c\"}}".into())), // ARRAY[['a','b c']]::text[]
        (3807, "000000010000000000000eda000000010000000100000009017b226b223a20317d", BindValue::Text("{\"{\\\"k\\\": 1}\"}".into())), // ARRAY['{"k": 1}'::jsonb]
    ]
}

#[test]
fn decode_binary_params() {
    for (o, hex, want) in param_cases() {
        let got = decode_param(o, true, Some(&unhex(hex)))
            .unwrap_or_else(|e| panic!("oid {o} {hex}: {e}"));
        assert_eq!(got, want, "oid {o} {hex}");
    }
}

#[test]
fn decode_params_null_and_text() {
    assert_eq!(decode_param(23, true, None).unwrap(), BindValue::Null);
    assert_eq!(decode_param(0, false, None).unwrap(), BindValue::Null);
    assert_eq!(
        decode_param(0, false, Some(b"42")).unwrap(),
        BindValue::Text("42".into())
    );
    assert_eq!(
        decode_param(1082, false, Some(b"2020-01-01")).unwrap(),
        BindValue::Text("2020-01-01".into())
    );
    // bytea text forms are decoded (DuckDB's BLOB cast reads \x differently).
    assert_eq!(
        decode_param(17, false, Some(b"\\x00ff41")).unwrap(),
        BindValue::Blob(vec![0, 255, 65])
    );
    assert_eq!(
        decode_param(17, false, Some(b"a\\\\b\\001")).unwrap(),
        BindValue::Blob(b"a\\b\x01".to_vec())
    );
    assert_eq!(
        decode_param(25, false, Some(b"\xff")).unwrap_err().sqlstate,
        "22021"
    );
    // unknown (705) in binary is the text itself, as PostgreSQL's unknownrecv.
    assert_eq!(
        decode_param(705, true, Some(b"x")).unwrap(),
        BindValue::Text("x".into())
    );
}

#[test]
fn decode_param_errors() {
    assert_eq!(
        decode_param(23, true, Some(&[0, 1])).unwrap_err().sqlstate,
        "22P03"
    );
    assert_eq!(
        decode_param(0, true, Some(&[0, 1])).unwrap_err().sqlstate,
        "42P18"
    );
    assert_eq!(
        decode_param(600, true, Some(&[0; 16]))
            .unwrap_err()
            .sqlstate,
        "0A000"
    );
    assert_eq!(
        decode_param(1700, true, Some(&[0, 1, 0]))
            .unwrap_err()
            .sqlstate,
        "22P03"
    );
    assert_eq!(
        decode_param(3802, true, Some(b"\x02{}"))
            .unwrap_err()
            .sqlstate,
        "22P03"
    );
    // int4[] whose elements claim to be text
    let arr = unhex("00000001000000000000001900000001000000010000000178");
    assert_eq!(
        decode_param(1007, true, Some(&arr)).unwrap_err().sqlstate,
        "42804"
    );
}

/// Binary encodings the encoder writes decode back to the values' text.
#[test]
fn encode_decode_round_trip() {
    let opts = EncodeOptions::default();
    let arrays: Vec<(ArrayRef, u32, &str)> = vec![
        (
            Arc::new(
                Decimal128Array::from(vec![-1234567891])
                    .with_precision_and_scale(12, 4)
                    .unwrap(),
            ),
            oid::NUMERIC,
            "-123456.7891",
        ),
        (
            Arc::new(StringArray::from(vec!["01:02:03.5+05:30"])),
            oid::TIMETZ,
            "01:02:03.5+05:30",
        ),
        (
            Arc::new(StringArray::from(vec!["1010101011"])),
            oid::VARBIT,
            "1010101011",
        ),
        (
            Arc::new(StringArray::from(vec!["-98765432109876543210.5"])),
            oid::NUMERIC,
            "-98765432109876543210.5",
        ),
        (
            list(
                Arc::new(Float64Array::from(vec![Some(0.1), None])),
                &[Some(2)],
            ),
            oid::FLOAT8_ARRAY,
            "{0.1,NULL}",
        ),
    ];
    for (a, o, want) in arrays {
        let mut col = EncodedColumn::default();
        encode_column(a.as_ref(), o, Format::Binary, &opts, &mut col).unwrap();
        let bytes = col.values().next().unwrap().unwrap().to_vec();
        assert_eq!(
            decode_param(o, true, Some(&bytes)).unwrap(),
            BindValue::Text(want.into()),
            "{want}"
        );
    }
}

#[test]
fn plans() {
    use LogicalType as L;
    let p = |t: L| {
        let c = plan_column(&t);
        (c.pg.oid, c.pg.typlen, c.pg.typmod, c.pg.name, c.shaping)
    };
    let asis = Shaping::AsIs;
    assert_eq!(p(L::Boolean), (16, 1, -1, "bool", asis));
    for t in [L::TinyInt, L::SmallInt, L::UTinyInt] {
        assert_eq!(p(t), (21, 2, -1, "int2", asis));
    }
    for t in [L::Integer, L::USmallInt] {
        assert_eq!(p(t), (23, 4, -1, "int4", asis));
    }
    for t in [L::BigInt, L::UInteger] {
        assert_eq!(p(t), (20, 8, -1, "int8", asis));
    }
    for t in [L::UBigInt, L::HugeInt] {
        assert_eq!(p(t), (1700, -1, -1, "numeric", asis));
    }
    for t in [L::UHugeInt, L::BigNum] {
        assert_eq!(p(t), (1700, -1, -1, "numeric", Shaping::CastVarchar));
    }
    // PostgreSQL: SELECT atttypmod FROM pg_attribute ... numeric(10,2) → 655366
    assert_eq!(
        p(L::Decimal {
            width: 10,
            scale: 2
        }),
        (1700, -1, 655366, "numeric", asis)
    );
    assert_eq!(
        p(L::Decimal {
            width: 38,
            scale: 0
        })
        .2,
        (38 << 16) + 4
    );
    assert_eq!(p(L::Float), (700, 4, -1, "float4", asis));
    assert_eq!(p(L::Double), (701, 8, -1, "float8", asis));
    assert_eq!(p(L::Varchar), (25, -1, -1, "text", asis));
    assert_eq!(p(L::Json), (114, -1, -1, "json", asis));
    assert_eq!(p(L::Blob), (17, -1, -1, "bytea", asis));
    assert_eq!(p(L::Geometry), (17, -1, -1, "bytea", asis));
    assert_eq!(p(L::Bit), (1562, -1, -1, "varbit", Shaping::CastVarchar));
    assert_eq!(p(L::Date), (1082, 4, -1, "date", asis));
    assert_eq!(p(L::Time), (1083, 8, -1, "time", asis));
    assert_eq!(p(L::TimeNs), (1083, 8, -1, "time", asis));
    assert_eq!(p(L::TimeTz), (1266, 12, -1, "timetz", Shaping::CastVarchar));
    for t in [L::Timestamp, L::TimestampS, L::TimestampMs, L::TimestampNs] {
        assert_eq!(p(t), (1114, 8, -1, "timestamp", asis));
    }
    assert_eq!(p(L::TimestampTz), (1184, 8, -1, "timestamptz", asis));
    assert_eq!(p(L::Interval), (1186, 16, -1, "interval", asis));
    assert_eq!(p(L::Uuid), (2950, 16, -1, "uuid", asis));
    assert_eq!(p(L::Enum), (25, -1, -1, "text", Shaping::CastVarchar));
    assert_eq!(p(L::Null), (25, -1, -1, "text", asis));
    assert_eq!(p(L::Any), (25, -1, -1, "text", asis));
    let list = |t: L| L::List(Box::new(t));
    let arr = |t: L| L::Array(Box::new(t), 3);
    let lists = [
        (L::Boolean, 1000, "_bool"),
        (L::SmallInt, 1005, "_int2"),
        (L::Integer, 1007, "_int4"),
        (L::BigInt, 1016, "_int8"),
        (L::Varchar, 1009, "_text"),
        (L::Float, 1021, "_float4"),
        (L::Double, 1022, "_float8"),
        (L::Decimal { width: 9, scale: 3 }, 1231, "_numeric"),
        (L::HugeInt, 1231, "_numeric"),
        (L::Blob, 1001, "_bytea"),
        (L::Date, 1182, "_date"),
        (L::Time, 1183, "_time"),
        (L::Timestamp, 1115, "_timestamp"),
        (L::TimestampTz, 1185, "_timestamptz"),
        (L::Interval, 1187, "_interval"),
        (L::Uuid, 2951, "_uuid"),
        (L::Json, 199, "_json"),
        (L::Null, 1009, "_text"),
    ];
    for (t, o, name) in lists {
        assert_eq!(p(list(t.clone())), (o, -1, -1, name, asis), "{t:?}");
        assert_eq!(p(arr(t)), (o, -1, -1, name, asis));
    }
    for (t, o) in [
        (L::Bit, 1563),
        (L::TimeTz, 1270),
        (L::Enum, 1009),
        (L::UHugeInt, 1231),
        (L::BigNum, 1231),
    ] {
        assert_eq!(p(list(t.clone())).0, o);
        assert_eq!(p(arr(t)).4, Shaping::CastVarcharList);
    }
    let json = (114, -1, -1, "json", Shaping::ToJson);
    assert_eq!(p(list(list(L::Integer))), json);
    assert_eq!(p(arr(list(L::Integer))), json);
    assert_eq!(p(L::Struct(vec![("a".into(), L::Integer)])), json);
    assert_eq!(p(L::Map(Box::new(L::Varchar), Box::new(L::Integer))), json);
    assert_eq!(p(L::Union(vec![("a".into(), L::Integer)])), json);
    assert_eq!(p(L::Variant), json);
    assert_eq!(p(list(L::Struct(vec![]))), json);
}

#[test]
fn type_table() {
    assert_eq!(type_name(23), Some("int4"));
    assert_eq!(type_name(1007), Some("_int4"));
    assert_eq!(type_name(1700), Some("numeric"));
    assert_eq!(type_name(424242), None);
    for t in crate::encode::types::pg_types() {
        if t.array != 0 {
            assert_eq!(element_of(t.array), Some(t.oid), "{}", t.name);
            assert_eq!(array_of(t.oid), Some(t.array));
        }
        if t.element != 0 {
            assert_eq!(array_of(t.element), Some(t.oid), "{}", t.name);
            assert_eq!(t.name, format!("_{}", type_name(t.element).unwrap()));
        }
    }
    assert!(
        crate::encode::types::pg_types()
            .windows(2)
            .all(|w| w[0].oid < w[1].oid)
    );
    assert_eq!(element_of(23), None);
    assert_eq!(array_of(1007), None);
}

/// What PostgreSQL 15 accepts for SET TimeZone, and what SHOW TimeZone then prints.
#[test]
fn time_zone_names() {
    let cases = [
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Etc/UTC", "Etc/UTC"),
        ("Europe/London", "Europe/London"),
        ("europe/LONDON", "Europe/London"),
        ("Asia/Calcutta", "Asia/Calcutta"),
        ("GMT", "GMT"),
        ("gmt", "GMT"),
        ("Zulu", "Zulu"),
        ("2", "<+02>-02"),
        ("  2", "<+02>-02"),
        ("+5", "<+05>-05"),
        ("-3.5", "<-03:30>+03:30"),
        ("1.25", "<+01:15>-01:15"),
        ("15.99", "<+15:59:24>-15:59:24"),
        ("1e1", "<+10>-10"),
        ("0x10", "<+16>-16"),
        ("-16", "<-16>+16"),
        ("+02:00", "+02:00"),
        ("05:30", "05:30"),
        ("UTC+2", "UTC+2"),
        ("abc+3", "ABC+3"),
        ("<+03>-3", "<+03>-3"),
        ("XYZ-5:30", "XYZ-5:30"),
        ("UTC-02:30", "UTC-02:30"),
    ];
    for (input, shown) in cases {
        let tz = TimeZone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(tz.name(), shown, "{input}");
    }
    for bad in [
        "Z",
        "Mars/Olympus",
        "+01:30:15",
        "UTC+2:30:15",
        "",
        "interval '1 hour'",
    ] {
        assert!(TimeZone::parse(bad).is_err(), "{bad}");
    }
    // Offsets in force (seconds east): POSIX names count west.
    let at = |z: &str| TimeZone::parse(z).unwrap().offset_at(1_600_000_000);
    assert_eq!(at("+02:00"), -7200);
    assert_eq!(at("2"), 7200);
    assert_eq!(at("UTC+2"), -7200);
    assert_eq!(at("XYZ-5:30"), 19800);
    assert_eq!(at("Europe/London"), 3600);
}

#[test]
fn format_codes() {
    assert_eq!(Format::from_code(0), Some(Format::Text));
    assert_eq!(Format::from_code(1), Some(Format::Binary));
    assert_eq!(Format::from_code(2), None);
}
