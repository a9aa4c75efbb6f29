//! PostgreSQL type identities for DuckDB columns: which OID, length and typmod a result column
//! is announced with in RowDescription, and how the server must shape the SQL so that the Arrow
//! batches arrive in a representation the encoders understand ([`plan_column`]).
//!
//! Also the small static table of PostgreSQL types the encoders and the catalogue emulation
//! know by OID ([`type_name`], [`array_of`], [`element_of`], [`pg_types`]).

use crate::lake::types::LogicalType;

/// OIDs of the PostgreSQL types this crate produces or accepts. Values are PostgreSQL's own
/// (`pg_type.dat`); clients hard-code them, so they must never change.
pub mod oid {
    pub const BOOL: u32 = 16;
    pub const BYTEA: u32 = 17;
    pub const CHAR: u32 = 18;
    pub const NAME: u32 = 19;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT4: u32 = 23;
    pub const REGPROC: u32 = 24;
    pub const TEXT: u32 = 25;
    pub const OID: u32 = 26;
    pub const JSON: u32 = 114;
    pub const XML: u32 = 142;
    pub const JSON_ARRAY: u32 = 199;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const UNKNOWN: u32 = 705;
    pub const BOOL_ARRAY: u32 = 1000;
    pub const BYTEA_ARRAY: u32 = 1001;
    pub const CHAR_ARRAY: u32 = 1002;
    pub const NAME_ARRAY: u32 = 1003;
    pub const INT2_ARRAY: u32 = 1005;
    pub const INT4_ARRAY: u32 = 1007;
    pub const TEXT_ARRAY: u32 = 1009;
    pub const BPCHAR_ARRAY: u32 = 1014;
    pub const VARCHAR_ARRAY: u32 = 1015;
    pub const INT8_ARRAY: u32 = 1016;
    pub const FLOAT4_ARRAY: u32 = 1021;
    pub const FLOAT8_ARRAY: u32 = 1022;
    pub const OID_ARRAY: u32 = 1028;
    pub const BPCHAR: u32 = 1042;
    pub const VARCHAR: u32 = 1043;
    pub const DATE: u32 = 1082;
    pub const TIME: u32 = 1083;
    pub const TIMESTAMP: u32 = 1114;
    pub const TIMESTAMP_ARRAY: u32 = 1115;
    pub const DATE_ARRAY: u32 = 1182;
    pub const TIME_ARRAY: u32 = 1183;
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const TIMESTAMPTZ_ARRAY: u32 = 1185;
    pub const INTERVAL: u32 = 1186;
    pub const INTERVAL_ARRAY: u32 = 1187;
    pub const NUMERIC_ARRAY: u32 = 1231;
    pub const TIMETZ: u32 = 1266;
    pub const TIMETZ_ARRAY: u32 = 1270;
    pub const BIT: u32 = 1560;
    pub const BIT_ARRAY: u32 = 1561;
    pub const VARBIT: u32 = 1562;
    pub const VARBIT_ARRAY: u32 = 1563;
    pub const NUMERIC: u32 = 1700;
    pub const UUID: u32 = 2950;
    pub const UUID_ARRAY: u32 = 2951;
    pub const JSONB: u32 = 3802;
    pub const JSONB_ARRAY: u32 = 3807;
}

/// A PostgreSQL type as announced in RowDescription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PgType {
    pub oid: u32,
    /// `pg_type.typlen`: bytes of the fixed-size binary form, -1 for variable length.
    pub typlen: i16,
    /// `pg_attribute.atttypmod`: -1 unless the type carries a modifier (numeric(p,s)).
    pub typmod: i32,
    pub name: &'static str,
}

impl PgType {
    /// The plain (typmod -1) type for a known OID; `None` for OIDs not in the table.
    pub fn from_oid(oid: u32) -> Option<PgType> {
        info(oid).map(|i| PgType {
            oid,
            typlen: i.typlen,
            typmod: -1,
            name: i.name,
        })
    }

    /// `numeric(precision, scale)`, with PostgreSQL's typmod encoding (VARHDRSZ + p<<16 | s).
    pub fn numeric(precision: u8, scale: u8) -> PgType {
        PgType {
            typmod: (((precision as i32) << 16) | scale as i32) + 4,
            ..NUMERIC_TYPE
        }
    }
}

const NUMERIC_TYPE: PgType = PgType {
    oid: oid::NUMERIC,
    typlen: -1,
    typmod: -1,
    name: "numeric",
};

/// How the server must shape a column's SQL before running it, so that the Arrow export is
/// something these encoders can write as the announced PostgreSQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shaping {
    /// Select the column as it is.
    AsIs,
    /// `CAST(col AS VARCHAR)`: DuckDB's text form is also PostgreSQL's (ENUM, BIT, BIGNUM,
    /// UHUGEINT, TIMETZ), and the Arrow export of the native type is lossy or missing.
    CastVarchar,
    /// `CAST(col AS VARCHAR[])`: a LIST/ARRAY whose element needs `CastVarchar`; the element
    /// texts are then written as elements of the PostgreSQL array type.
    CastVarcharList,
    /// `CAST(to_json(col) AS VARCHAR)`: nested values PostgreSQL has no type for, sent as `json`.
    ToJson,
}

/// What a DuckDB column becomes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnPlan {
    pub pg: PgType,
    pub shaping: Shaping,
}

fn plain(oid: u32) -> PgType {
    PgType::from_oid(oid).expect("OID in the static table")
}

/// The PostgreSQL type and SQL shaping for a DuckDB column type.
pub fn plan_column(t: &LogicalType) -> ColumnPlan {
    use LogicalType as L;
    let (pg, shaping) = match t {
        L::List(inner) | L::Array(inner, _) => {
            if !is_scalar(inner) {
                (plain(oid::JSON), Shaping::ToJson)
            } else {
                let elem = plan_column(inner);
                let array = array_of(elem.pg.oid).unwrap_or(oid::TEXT_ARRAY);
                let shaping = match elem.shaping {
                    Shaping::AsIs => Shaping::AsIs,
                    _ => Shaping::CastVarcharList,
                };
                (plain(array), shaping)
            }
        }
        L::Struct(_) | L::Map(_, _) | L::Union(_) | L::Variant => {
            (plain(oid::JSON), Shaping::ToJson)
        }
        L::Enum => (plain(oid::TEXT), Shaping::CastVarchar),
        L::Bit => (plain(oid::VARBIT), Shaping::CastVarchar),
        L::BigNum | L::UHugeInt => (plain(oid::NUMERIC), Shaping::CastVarchar),
        L::TimeTz => (plain(oid::TIMETZ), Shaping::CastVarchar),
        L::Decimal { width, scale } => (PgType::numeric(*width, *scale), Shaping::AsIs),
        other => (plain(scalar_oid(other)), Shaping::AsIs),
    };
    ColumnPlan { pg, shaping }
}

/// Types PostgreSQL can hold as an array element (everything that is not itself nested).
fn is_scalar(t: &LogicalType) -> bool {
    !matches!(
        t,
        LogicalType::List(_)
            | LogicalType::Array(_, _)
            | LogicalType::Struct(_)
            | LogicalType::Map(_, _)
            | LogicalType::Union(_)
            | LogicalType::Variant
    )
}

fn scalar_oid(t: &LogicalType) -> u32 {
    use LogicalType as L;
    match t {
        L::Boolean => oid::BOOL,
        L::TinyInt | L::SmallInt | L::UTinyInt => oid::INT2,
        L::Integer | L::USmallInt => oid::INT4,
        L::BigInt | L::UInteger => oid::INT8,
        L::UBigInt | L::HugeInt | L::UHugeInt | L::BigNum | L::Decimal { .. } => oid::NUMERIC,
        L::Float => oid::FLOAT4,
        L::Double => oid::FLOAT8,
        L::Varchar | L::Enum => oid::TEXT,
        L::Json => oid::JSON,
        L::Blob | L::Geometry => oid::BYTEA,
        L::Bit => oid::VARBIT,
        L::Date => oid::DATE,
        L::Time | L::TimeNs => oid::TIME,
        L::TimeTz => oid::TIMETZ,
        L::Timestamp | L::TimestampS | L::TimestampMs | L::TimestampNs => oid::TIMESTAMP,
        L::TimestampTz => oid::TIMESTAMPTZ,
        L::Interval => oid::INTERVAL,
        L::Uuid => oid::UUID,
        L::Null | L::Any => oid::TEXT,
        L::List(_) | L::Array(_, _) | L::Struct(_) | L::Map(_, _) | L::Union(_) | L::Variant => {
            oid::JSON
        }
    }
}

/// One row of the static type table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeInfo {
    pub oid: u32,
    pub name: &'static str,
    pub typlen: i16,
    /// The array type whose elements are this type (0: none).
    pub array: u32,
    /// For array types, the element type (0: not an array).
    pub element: u32,
}

const fn t(oid: u32, name: &'static str, typlen: i16, array: u32, element: u32) -> TypeInfo {
    TypeInfo {
        oid,
        name,
        typlen,
        array,
        element,
    }
}

use oid as o;

/// PostgreSQL's types as far as this server announces or accepts them, sorted by OID.
static TYPES: &[TypeInfo] = &[
    t(o::BOOL, "bool", 1, o::BOOL_ARRAY, 0),
    t(o::BYTEA, "bytea", -1, o::BYTEA_ARRAY, 0),
    t(o::CHAR, "char", 1, o::CHAR_ARRAY, 0),
    t(o::NAME, "name", 64, o::NAME_ARRAY, 0),
    t(o::INT8, "int8", 8, o::INT8_ARRAY, 0),
    t(o::INT2, "int2", 2, o::INT2_ARRAY, 0),
    t(o::INT4, "int4", 4, o::INT4_ARRAY, 0),
    t(o::REGPROC, "regproc", 4, 1008, 0),
    t(o::TEXT, "text", -1, o::TEXT_ARRAY, 0),
    t(o::OID, "oid", 4, o::OID_ARRAY, 0),
    t(o::JSON, "json", -1, o::JSON_ARRAY, 0),
    t(o::XML, "xml", -1, 143, 0),
    t(143, "_xml", -1, 0, o::XML),
    t(o::JSON_ARRAY, "_json", -1, 0, o::JSON),
    t(o::FLOAT4, "float4", 4, o::FLOAT4_ARRAY, 0),
    t(o::FLOAT8, "float8", 8, o::FLOAT8_ARRAY, 0),
    t(o::UNKNOWN, "unknown", -2, 0, 0),
    t(o::BOOL_ARRAY, "_bool", -1, 0, o::BOOL),
    t(o::BYTEA_ARRAY, "_bytea", -1, 0, o::BYTEA),
    t(o::CHAR_ARRAY, "_char", -1, 0, o::CHAR),
    t(o::NAME_ARRAY, "_name", -1, 0, o::NAME),
    t(o::INT2_ARRAY, "_int2", -1, 0, o::INT2),
    t(o::INT4_ARRAY, "_int4", -1, 0, o::INT4),
    t(1008, "_regproc", -1, 0, o::REGPROC),
    t(o::TEXT_ARRAY, "_text", -1, 0, o::TEXT),
    t(o::BPCHAR_ARRAY, "_bpchar", -1, 0, o::BPCHAR),
    t(o::VARCHAR_ARRAY, "_varchar", -1, 0, o::VARCHAR),
    t(o::INT8_ARRAY, "_int8", -1, 0, o::INT8),
    t(o::FLOAT4_ARRAY, "_float4", -1, 0, o::FLOAT4),
    t(o::FLOAT8_ARRAY, "_float8", -1, 0, o::FLOAT8),
    t(o::OID_ARRAY, "_oid", -1, 0, o::OID),
    t(o::BPCHAR, "bpchar", -1, o::BPCHAR_ARRAY, 0),
    t(o::VARCHAR, "varchar", -1, o::VARCHAR_ARRAY, 0),
    t(o::DATE, "date", 4, o::DATE_ARRAY, 0),
    t(o::TIME, "time", 8, o::TIME_ARRAY, 0),
    t(o::TIMESTAMP, "timestamp", 8, o::TIMESTAMP_ARRAY, 0),
    t(o::TIMESTAMP_ARRAY, "_timestamp", -1, 0, o::TIMESTAMP),
    t(o::DATE_ARRAY, "_date", -1, 0, o::DATE),
    t(o::TIME_ARRAY, "_time", -1, 0, o::TIME),
    t(o::TIMESTAMPTZ, "timestamptz", 8, o::TIMESTAMPTZ_ARRAY, 0),
    t(o::TIMESTAMPTZ_ARRAY, "_timestamptz", -1, 0, o::TIMESTAMPTZ),
    t(o::INTERVAL, "interval", 16, o::INTERVAL_ARRAY, 0),
    t(o::INTERVAL_ARRAY, "_interval", -1, 0, o::INTERVAL),
    t(o::NUMERIC_ARRAY, "_numeric", -1, 0, o::NUMERIC),
    t(o::TIMETZ, "timetz", 12, o::TIMETZ_ARRAY, 0),
    t(o::TIMETZ_ARRAY, "_timetz", -1, 0, o::TIMETZ),
    t(o::BIT, "bit", -1, o::BIT_ARRAY, 0),
    t(o::BIT_ARRAY, "_bit", -1, 0, o::BIT),
    t(o::VARBIT, "varbit", -1, o::VARBIT_ARRAY, 0),
    t(o::VARBIT_ARRAY, "_varbit", -1, 0, o::VARBIT),
    t(o::NUMERIC, "numeric", -1, o::NUMERIC_ARRAY, 0),
    t(o::UUID, "uuid", 16, o::UUID_ARRAY, 0),
    t(o::UUID_ARRAY, "_uuid", -1, 0, o::UUID),
    t(o::JSONB, "jsonb", -1, o::JSONB_ARRAY, 0),
    t(o::JSONB_ARRAY, "_jsonb", -1, 0, o::JSONB),
];

/// The whole static table, sorted by OID (for the catalogue's `pg_type`).
pub fn pg_types() -> &'static [TypeInfo] {
    TYPES
}

/// The table row for an OID.
pub fn info(oid: u32) -> Option<&'static TypeInfo> {
    TYPES
        .binary_search_by_key(&oid, |t| t.oid)
        .ok()
        .map(|i| &TYPES[i])
}

/// `pg_type.typname` of an OID ("int4", "_int4", "numeric").
pub fn type_name(oid: u32) -> Option<&'static str> {
    info(oid).map(|t| t.name)
}

/// The array type of an element type (int4 → _int4).
pub fn array_of(oid: u32) -> Option<u32> {
    info(oid).map(|t| t.array).filter(|&a| a != 0)
}

/// The element type of an array type (_int4 → int4).
pub fn element_of(array_oid: u32) -> Option<u32> {
    info(array_oid).map(|t| t.element).filter(|&e| e != 0)
}
