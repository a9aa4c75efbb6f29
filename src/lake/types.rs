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
