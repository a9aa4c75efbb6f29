//! DuckDB's logical types, as a plain enum: what the encoder and the catalogue need to know
//! about a column, without any FFI (built from DuckDB's C API in [`super::duck`]).

/// A DuckDB type, as far as encoding and the catalogue need it.
#[derive(Debug, Clone, PartialEq)]
pub enum LogicalType {
    Boolean,
    TinyInt,
    SmallInt,
    Integer,
    BigInt,
    HugeInt,
    UTinyInt,
    USmallInt,
    UInteger,
    UBigInt,
    UHugeInt,
    Float,
    Double,
    Decimal {
        width: u8,
        scale: u8,
    },
    Varchar,
    Json,
    Blob,
    Bit,
    Date,
    Time,
    TimeNs,
    TimeTz,
    Timestamp,
    TimestampS,
    TimestampMs,
    TimestampNs,
    TimestampTz,
    Interval,
    Uuid,
    Enum,
    BigNum,
    Geometry,
    List(Box<LogicalType>),
    Array(Box<LogicalType>, u64),
    Struct(Vec<(String, LogicalType)>),
    Map(Box<LogicalType>, Box<LogicalType>),
    Union(Vec<(String, LogicalType)>),
    Variant,
    Null,
    /// Not known until execution (an untyped parameter, `SELECT $1`).
    Any,
}
impl LogicalType {
    /// The type as DuckDB SQL spells it, for scalar types (used to cast typed NULLs).
    pub fn sql_name(&self) -> Option<String> {
        use LogicalType::*;
        Some(match self {
            Boolean => "BOOLEAN".into(),
            TinyInt => "TINYINT".into(),
            SmallInt => "SMALLINT".into(),
            Integer => "INTEGER".into(),
            BigInt => "BIGINT".into(),
            HugeInt => "HUGEINT".into(),
            UTinyInt => "UTINYINT".into(),
            USmallInt => "USMALLINT".into(),
            UInteger => "UINTEGER".into(),
            UBigInt => "UBIGINT".into(),
            UHugeInt => "UHUGEINT".into(),
            Float => "FLOAT".into(),
            Double => "DOUBLE".into(),
            Decimal { width, scale } => format!("DECIMAL({width},{scale})"),
            Varchar | Any | Null => "VARCHAR".into(),
            Json => "JSON".into(),
            Blob => "BLOB".into(),
            Date => "DATE".into(),
            Time => "TIME".into(),
            Timestamp => "TIMESTAMP".into(),
            TimestampTz => "TIMESTAMPTZ".into(),
            Interval => "INTERVAL".into(),
            Uuid => "UUID".into(),
            _ => return None,
        })
    }
}

/// A value bound to a parameter. Text values are cast by DuckDB to the parameter's type, as
/// PostgreSQL does with text-format parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum BindValue {
    Null,
    Text(String),
    Bool(bool),
    Int(i64),
    Float(f64),
    Blob(Vec<u8>),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since midnight.
    Time(i64),
    /// Microseconds since 1970-01-01 00:00, no time zone.
    Timestamp(i64),
}
