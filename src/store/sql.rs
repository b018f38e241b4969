//! One way to run the store's statements on either home of a shop: the SQLite file or a
//! PostgreSQL server. The store's functions are written once against `Conn` (the same calls as
//! rusqlite's: `prepare_cached`, `query_row`, `query_map`, `execute`), and values travel in SQLite's
//! value model on both: a Postgres row's columns are read as `ValueRef`s (without copying text),
//! and arguments are bound as what each parameter's type at the server asks for.
//!
//! On SQLite nothing is translated: the statement runs as written, through rusqlite. On Postgres the
//! text is translated once per statement and the prepared statement kept (`translate`): `?N`,
//! `?` and `:name` become `$N`, `IN rarray(?)` becomes `= ANY($N)`, and a few of SQLite's spellings
//! become Postgres's (`group_concat`, `char(31)`, `ifnull`, `INSERT OR IGNORE`, the `main.`
//! schema). Whatever else differs is written per backend where it is used (`Conn::is_pg`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use postgres::types::{IsNull, Type};

use rusqlite::types::{FromSql, FromSqlError, ToSqlOutput, Value, ValueRef};

use crate::error::{Error, Storage};

pub(crate) type SqlResult<T> = std::result::Result<T, SqlError>;

/// A statement that failed, on either backend.
#[derive(Debug)]
pub enum SqlError {
    Lite(rusqlite::Error),
    Pg(postgres::Error),
}

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> SqlError {
        SqlError::Lite(e)
    }
}

impl From<postgres::Error> for SqlError {
    fn from(e: postgres::Error) -> SqlError {
        SqlError::Pg(e)
    }
}

impl From<SqlError> for Error {
    fn from(e: SqlError) -> Error {
        match e {
            SqlError::Lite(e) => e.into(),
            SqlError::Pg(e) => {
                let kind = match e.code().map(|c| c.code()) {
                    // serialization_failure, deadlock_detected, lock_not_available
                    Some("40001" | "40P01" | "55P03") => Storage::Busy,
                    Some("25006") => Storage::ReadOnly,
                    _ if e.is_closed() => Storage::CannotOpen,
                    _ => Storage::Other,
                };
                if kind == Storage::CannotOpen {
                    return Error::storage(kind, "The shared shop's server cannot be reached just now; nothing was saved. Try again when it is back.");
                }
                let said = super::postgres::pg_error("database error", e);
                Error::storage(kind, said.to_string())
            }
        }
    }
}

/// A number of rows as a statement's `LIMIT`: all of them for a number past the largest (SQLite
/// reads `u64::MAX as i64`, -1, as no limit; Postgres refuses a negative one).
pub(crate) fn row_limit(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `.optional()` for a row that may not be there, on either backend.
pub(crate) trait Optional<T> {
    fn optional(self) -> SqlResult<Option<T>>;
}

impl<T> Optional<T> for SqlResult<T> {
    fn optional(self) -> SqlResult<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(SqlError::Lite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A value bound to a statement: what SQLite is given, and what Postgres is.
pub trait Arg {
    fn lite(&self) -> rusqlite::Result<ToSqlOutput<'_>>;
    fn pg(&self) -> PgArg;
}

impl<T: rusqlite::ToSql + ?Sized> Arg for T {
    fn lite(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.to_sql()
    }

    fn pg(&self) -> PgArg {
        match self.to_sql() {
            Ok(ToSqlOutput::Borrowed(v)) => PgArg::from_ref(v),
            Ok(ToSqlOutput::Owned(v)) => PgArg::from_ref(ValueRef::from(&v)),
            _ => PgArg::Unsupported,
        }
    }
}

/// A list of ids or keys a statement looks rows up by: `x IN rarray(?)` on SQLite (the `array`
/// module), `x = ANY($n)` on Postgres.
#[derive(Debug, Clone)]
pub(crate) struct List(pub(crate) Rc<Vec<Value>>);

impl List {
    pub(crate) fn ints(ids: impl IntoIterator<Item = i64>) -> List {
        List(Rc::new(ids.into_iter().map(Value::Integer).collect()))
    }

    pub(crate) fn texts(keys: impl IntoIterator<Item = String>) -> List {
        List(Rc::new(keys.into_iter().map(Value::Text).collect()))
    }
}

/// An argument as Postgres receives it (owned: the server's types are only known once prepared).
#[derive(Debug)]
pub enum PgArg {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Ints(Vec<i64>),
    Texts(Vec<String>),
    Unsupported,
}

impl PgArg {
    fn from_ref(v: ValueRef<'_>) -> PgArg {
        match v {
            ValueRef::Null => PgArg::Null,
            ValueRef::Integer(i) => PgArg::Int(i),
            ValueRef::Real(f) => PgArg::Real(f),
            ValueRef::Text(t) => PgArg::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => PgArg::Blob(b.to_vec()),
        }
    }
}

impl PgArg {
    /// The server's type for this kind of value, where the statement does not say.
    fn type_hint(&self) -> Type {
        match self {
            PgArg::Int(_) => Type::INT8,
            PgArg::Real(_) => Type::FLOAT8,
            PgArg::Blob(_) => Type::BYTEA,
            PgArg::Ints(_) => Type::INT8_ARRAY,
            PgArg::Texts(_) => Type::TEXT_ARRAY,
            PgArg::Null | PgArg::Text(_) | PgArg::Unsupported => Type::TEXT,
        }
    }
}

impl postgres::types::ToSql for PgArg {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let texty = [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(ty);
        match self {
            PgArg::Null => Ok(IsNull::Yes),
            PgArg::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ if texty => i.to_string().as_str().to_sql(&Type::TEXT, out),
                _ => Err(format!("an integer cannot be stored as {ty}").into()),
            },
            PgArg::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::INT8 if f.fract() == 0.0 => (*f as i64).to_sql(ty, out),
                _ if texty => f.to_string().as_str().to_sql(&Type::TEXT, out),
                _ => Err(format!("a number cannot be stored as {ty}").into()),
            },
            PgArg::Text(s) if texty => s.as_str().to_sql(&Type::TEXT, out),
            PgArg::Text(s) => match *ty {
                Type::INT8 => s.trim().parse::<i64>()?.to_sql(ty, out),
                Type::FLOAT8 => s.trim().parse::<f64>()?.to_sql(ty, out),
                _ => Err(format!("text cannot be stored as {ty}").into()),
            },
            PgArg::Blob(b) => b.as_slice().to_sql(ty, out),
            PgArg::Ints(v) => match *ty {
                Type::INT8_ARRAY => v.to_sql(ty, out),
                Type::INT4_ARRAY => v.iter().map(|&i| i32::try_from(i)).collect::<Result<Vec<_>, _>>()?.to_sql(ty, out),
                Type::INT2_ARRAY => v.iter().map(|&i| i16::try_from(i)).collect::<Result<Vec<_>, _>>()?.to_sql(ty, out),
                Type::TEXT_ARRAY => v.iter().map(i64::to_string).collect::<Vec<_>>().to_sql(ty, out),
                _ => Err(format!("a list of numbers cannot be compared with {ty}").into()),
            },
            PgArg::Texts(v) => v.to_sql(ty, out),
            PgArg::Unsupported => Err("a value Postgres cannot be given".into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl Arg for List {
    fn lite(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        rusqlite::ToSql::to_sql(&self.0)
    }

    fn pg(&self) -> PgArg {
        if self.0.iter().all(|v| matches!(v, Value::Integer(_))) {
            PgArg::Ints(self.0.iter().map(|v| if let Value::Integer(i) = v { *i } else { 0 }).collect())
        } else {
            PgArg::Texts(self.0.iter().map(|v| if let Value::Text(t) = v { t.clone() } else { String::new() }).collect())
        }
    }
}

/// A statement's arguments: `()`, an array, the store's `params![…]`, or named `(":name", &value)`.
pub trait Args {
    fn list(&self) -> ArgList<'_>;
}

pub enum ArgList<'a> {
    Positional(Vec<&'a dyn Arg>),
    Named(Vec<(&'a str, &'a dyn Arg)>),
}

impl Args for () {
    fn list(&self) -> ArgList<'_> {
        ArgList::Positional(Vec::new())
    }
}

impl<T: Arg, const N: usize> Args for [T; N] {
    fn list(&self) -> ArgList<'_> {
        ArgList::Positional(self.iter().map(|a| a as &dyn Arg).collect())
    }
}

impl<T: Arg> Args for Option<T> {
    fn list(&self) -> ArgList<'_> {
        ArgList::Positional(self.iter().map(|a| a as &dyn Arg).collect())
    }
}

impl Args for &[&dyn Arg] {
    fn list(&self) -> ArgList<'_> {
        ArgList::Positional(self.to_vec())
    }
}

impl Args for &[(&str, &dyn Arg)] {
    fn list(&self) -> ArgList<'_> {
        ArgList::Named(self.to_vec())
    }
}

/// The store's `params![a, b, …]`: the same as rusqlite's, for either backend.
macro_rules! params {
    () => { () };
    ($($arg:expr),+ $(,)?) => { &[$(&$arg as &dyn $crate::store::sql::Arg),+] as &[&dyn $crate::store::sql::Arg] };
}
pub(crate) use params;

/// An argument as rusqlite binds it.
struct Lite<'a>(&'a dyn Arg);

impl rusqlite::ToSql for Lite<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.lite()
    }
}

/// Binds `args` to a SQLite statement.
fn bind_lite(stmt: &mut rusqlite::Statement<'_>, args: &ArgList<'_>) -> rusqlite::Result<()> {
    match args {
        ArgList::Positional(list) => {
            for (i, a) in list.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, Lite(*a))?;
            }
        }
        ArgList::Named(list) => {
            for (name, a) in list {
                let Some(i) = stmt.parameter_index(name)? else { return Err(rusqlite::Error::InvalidParameterName(name.to_string())) };
                stmt.raw_bind_parameter(i, Lite(*a))?;
            }
        }
    }
    let expected = stmt.parameter_count();
    let given = match args {
        ArgList::Positional(list) => list.len(),
        ArgList::Named(list) => list.len(),
    };
    if expected != given {
        return Err(rusqlite::Error::InvalidParameterCount(given, expected));
    }
    Ok(())
}

/// A connection of either backend (borrowed: the store owns it).
#[derive(Clone, Copy)]
pub(crate) enum Conn<'a> {
    Lite(&'a rusqlite::Connection),
    Pg(&'a PgConn),
}

impl<'a> Conn<'a> {
    pub(crate) fn is_pg(&self) -> bool {
        matches!(self, Conn::Pg(_))
    }

    /// The server's connection, for what only a server has.
    pub(crate) fn pg(&self) -> Option<&'a PgConn> {
        match self {
            Conn::Pg(p) => Some(p),
            Conn::Lite(_) => None,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, FTS5, the backup API).
    pub(crate) fn lite(&self) -> Option<&'a rusqlite::Connection> {
        match self {
            Conn::Lite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }

    pub(crate) fn prepare(&self, sql: &str) -> SqlResult<Stmt<'a>> {
        Ok(match *self {
            Conn::Lite(c) => Stmt::Lite(LiteStmt::Plain(c.prepare(sql)?)),
            Conn::Pg(p) => Stmt::Pg(p, sql.to_string(), Plan::Kept),
        })
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> SqlResult<Stmt<'a>> {
        Ok(match *self {
            Conn::Lite(c) => Stmt::Lite(LiteStmt::Cached(c.prepare_cached(sql)?)),
            Conn::Pg(p) => Stmt::Pg(p, sql.to_string(), Plan::Kept),
        })
    }

    /// A statement whose best plan depends on its values (how common a search word is): on a
    /// server it is planned afresh for each run, in the same round trip as the run. Elsewhere as
    /// `prepare_cached`.
    pub(crate) fn prepare_per_values(&self, sql: &str) -> SqlResult<Stmt<'a>> {
        Ok(match *self {
            Conn::Lite(c) => Stmt::Lite(LiteStmt::Cached(c.prepare_cached(sql)?)),
            Conn::Pg(p) => Stmt::Pg(p, sql.to_string(), Plan::PerValues),
        })
    }

    pub(crate) fn execute(&self, sql: &str, args: impl Args) -> SqlResult<usize> {
        self.prepare(sql)?.execute(args)
    }

    pub(crate) fn query_row<T>(&self, sql: &str, args: impl Args, f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>) -> SqlResult<T> {
        self.prepare(sql)?.query_row(args, f)
    }

    /// Runs statements separated by `;`, without arguments.
    pub(crate) fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        match self {
            Conn::Lite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(p) => {
                p.revive();
                Ok(p.client().batch_execute(&translate(sql).0)?)
            }
        }
    }

    /// The id the last insert was given.
    pub(crate) fn last_insert_rowid(&self) -> SqlResult<i64> {
        match self {
            Conn::Lite(c) => Ok(c.last_insert_rowid()),
            Conn::Pg(_) => self.query_row("SELECT lastval()", (), |r| r.get(0)),
        }
    }

    /// No transaction is open on this connection.
    pub(crate) fn is_autocommit(&self) -> bool {
        match self {
            Conn::Lite(c) => c.is_autocommit(),
            Conn::Pg(p) => !p.in_transaction.get(),
        }
    }
}

pub(crate) enum LiteStmt<'a> {
    Plain(rusqlite::Statement<'a>),
    Cached(rusqlite::CachedStatement<'a>),
}

/// A statement of either backend, ready to run with arguments.
pub(crate) enum Stmt<'a> {
    Lite(LiteStmt<'a>),
    Pg(&'a PgConn, String, Plan),
}

/// How a server plans a statement.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Prepared once and kept; the server decides when a plan for any values serves (the
    /// default `plan_cache_mode`: after five runs, if it is no worse than theirs).
    Kept,
    /// Planned for each run's own values.
    PerValues,
}

type Mapped<'s, T> = Box<dyn Iterator<Item = rusqlite::Result<T>> + 's>;

impl<'a> LiteStmt<'a> {
    fn stmt(&mut self) -> &mut rusqlite::Statement<'a> {
        match self {
            LiteStmt::Plain(s) => s,
            LiteStmt::Cached(s) => s,
        }
    }
}

impl<'a> Stmt<'a> {
    pub(crate) fn execute(&mut self, args: impl Args) -> SqlResult<usize> {
        let args = args.list();
        match self {
            Stmt::Lite(s) => {
                let stmt = s.stmt();
                bind_lite(stmt, &args)?;
                Ok(stmt.raw_execute()?)
            }
            Stmt::Pg(pg, sql, _) => Ok(pg.execute(sql, &args)? as usize),
        }
    }

    pub(crate) fn query_row<T>(&mut self, args: impl Args, f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>) -> SqlResult<T> {
        let args = args.list();
        match self {
            Stmt::Lite(s) => {
                let stmt = s.stmt();
                bind_lite(stmt, &args)?;
                let mut rows = stmt.raw_query();
                match rows.next()? {
                    Some(r) => Ok(f(&Row::Lite(r))?),
                    None => Err(rusqlite::Error::QueryReturnedNoRows.into()),
                }
            }
            Stmt::Pg(pg, sql, plan) => match pg.query(sql, &args, *plan)?.first() {
                Some(r) => Ok(f(&Row::Pg(r))?),
                None => Err(rusqlite::Error::QueryReturnedNoRows.into()),
            },
        }
    }

    pub(crate) fn query_map<'s, T: 's, F>(&'s mut self, args: impl Args, mut f: F) -> SqlResult<Mapped<'s, T>>
    where
        F: FnMut(&Row<'_>) -> rusqlite::Result<T> + 's,
    {
        let args = args.list();
        match self {
            Stmt::Lite(s) => {
                let stmt = s.stmt();
                bind_lite(stmt, &args)?;
                Ok(Box::new(stmt.raw_query().mapped(move |r| f(&Row::Lite(r)))))
            }
            Stmt::Pg(pg, sql, plan) => {
                let rows = pg.query(sql, &args, *plan)?;
                Ok(Box::new(rows.into_iter().map(move |r| f(&Row::Pg(&r)))))
            }
        }
    }

    pub(crate) fn query(&mut self, args: impl Args) -> SqlResult<Rows<'_>> {
        let args = args.list();
        match self {
            Stmt::Lite(s) => {
                let stmt = s.stmt();
                bind_lite(stmt, &args)?;
                Ok(Rows::Lite(stmt.raw_query()))
            }
            Stmt::Pg(pg, sql, plan) => Ok(Rows::Pg(pg.query(sql, &args, *plan)?.into_iter(), None)),
        }
    }
}

/// The rows of a query, read one at a time.
pub(crate) enum Rows<'s> {
    Lite(rusqlite::Rows<'s>),
    Pg(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
}

impl Rows<'_> {
    pub(crate) fn next(&mut self) -> SqlResult<Option<Row<'_>>> {
        match self {
            Rows::Lite(rows) => Ok(rows.next()?.map(Row::Lite)),
            Rows::Pg(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Pg))
            }
        }
    }
}

/// One row of a result, read by column number as SQLite's values.
pub(crate) enum Row<'r> {
    Lite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

/// A column number (as rusqlite's `RowIndex`, numbers only).
pub(crate) trait Column {
    fn at(self) -> usize;
}

impl Column for usize {
    fn at(self) -> usize {
        self
    }
}

impl Row<'_> {
    /// Column `i` as it is, without converting it.
    pub(crate) fn get_ref(&self, i: usize) -> rusqlite::Result<ValueRef<'_>> {
        match self {
            Row::Lite(r) => r.get_ref(i),
            Row::Pg(r) => pg_value(r, i).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Null, e.into())),
        }
    }

    pub(crate) fn get<I: Column, T: FromSql>(&self, i: I) -> rusqlite::Result<T> {
        let i = i.at();
        match self {
            Row::Lite(r) => r.get(i),
            Row::Pg(r) => {
                let value = pg_value(r, i).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Null, e.into()))?;
                T::column_result(value).map_err(|e| match e {
                    FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(i, r.columns()[i].name().to_string(), value.data_type())
                    }
                    FromSqlError::OutOfRange(n) => rusqlite::Error::IntegralValueOutOfRange(i, n),
                    FromSqlError::Other(e) => rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), e),
                    other => rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(other)),
                })
            }
        }
    }
}

/// A Postgres column's bytes, whatever its type (decoded by `pg_value`).
struct Raw<'a>(&'a [u8]);

impl<'a> postgres::types::FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Raw<'a>, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Raw(raw))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Column `i` of a Postgres row as a SQLite value: integers and booleans as integers, reals,
/// text and bytes borrowed from the row, and numeric (what `sum` of integers gives) as an integer
/// when it is whole.
fn pg_value(row: &postgres::Row, i: usize) -> Result<ValueRef<'_>, String> {
    let ty = row.columns().get(i).ok_or_else(|| format!("no column {i}"))?.type_().clone();
    let Some(Raw(raw)) = row.try_get::<_, Option<Raw<'_>>>(i).map_err(|e| e.to_string())? else { return Ok(ValueRef::Null) };
    let bytes = |n: usize| -> Result<&[u8], String> { raw.get(..n).ok_or_else(|| format!("column {i} is cut short")) };
    Ok(match ty {
        Type::INT8 => ValueRef::Integer(i64::from_be_bytes(bytes(8)?.try_into().unwrap())),
        Type::INT4 => ValueRef::Integer(i32::from_be_bytes(bytes(4)?.try_into().unwrap()) as i64),
        Type::INT2 => ValueRef::Integer(i16::from_be_bytes(bytes(2)?.try_into().unwrap()) as i64),
        Type::OID => ValueRef::Integer(u32::from_be_bytes(bytes(4)?.try_into().unwrap()) as i64),
        Type::BOOL => ValueRef::Integer((bytes(1)?[0] != 0) as i64),
        Type::FLOAT8 => ValueRef::Real(f64::from_be_bytes(bytes(8)?.try_into().unwrap())),
        Type::FLOAT4 => ValueRef::Real(f32::from_be_bytes(bytes(4)?.try_into().unwrap()) as f64),
        Type::BYTEA => ValueRef::Blob(raw),
        Type::NUMERIC => numeric(raw)?,
        _ => ValueRef::Text(raw),
    })
}

/// Postgres's binary numeric: digit count, weight (of the first base-10,000 digit), sign, scale,
/// then the digits.
fn numeric(raw: &[u8]) -> Result<ValueRef<'static>, String> {
    let word = |k: usize| raw.get(2 * k..2 * k + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or("a numeric value is cut short");
    let (count, weight, sign, scale) = (word(0)? as usize, word(1)? as i16, word(2)?, word(3)?);
    if sign == 0xC000 {
        return Ok(ValueRef::Real(f64::NAN));
    }
    let mut value = 0f64;
    let mut whole: Option<i64> = Some(0);
    for k in 0..count {
        let digit = word(4 + k)? as i64;
        let power = weight as i32 - k as i32;
        value += digit as f64 * 10_000f64.powi(power);
        whole = match (whole, power) {
            (Some(w), p) if p >= 0 => w.checked_add(digit.checked_mul(10_000i64.checked_pow(p as u32).unwrap_or(0)).unwrap_or(i64::MAX)),
            (w, _) if digit == 0 => w,
            _ => None,
        };
    }
    let negative = sign == 0x4000;
    Ok(match whole {
        Some(w) if scale == 0 || value.fract() == 0.0 => ValueRef::Integer(if negative { -w } else { w }),
        _ => ValueRef::Real(if negative { -value } else { value }),
    })
}

/// A connection to a Postgres server, with its statements prepared once each.
pub struct PgConn {
    /// The connection, and the address it shows.
    pub(crate) shop: RefCell<super::postgres::PgStore>,
    prepared: RefCell<HashMap<String, (postgres::Statement, Vec<Slot>, String)>>,
    pub(crate) in_transaction: std::cell::Cell<bool>,
    /// What a caller keeps of this connection's reads between statements, and how many times it
    /// was asked for since it was read (see `Db::common_search_keys`).
    pub(crate) kept: RefCell<Option<(u32, std::sync::Arc<HashMap<String, f32>>)>>,
}

impl PgConn {
    pub(crate) fn new(shop: super::postgres::PgStore) -> PgConn {
        PgConn { shop: RefCell::new(shop), prepared: RefCell::new(HashMap::new()), in_transaction: std::cell::Cell::new(false), kept: RefCell::new(None) }
    }

    pub(crate) fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        std::cell::RefMut::map(self.shop.borrow_mut(), |s| &mut s.client)
    }

    /// After the server went away (a restart, a dropped network): a new connection, if it can be
    /// had, between transactions (never in one: what it wrote is gone with the old connection,
    /// and the caller hears of the failure). Otherwise the closed one fails the next statement.
    fn revive(&self) {
        if self.in_transaction.get() || !self.shop.borrow().client.is_closed() {
            return;
        }
        let url = self.shop.borrow().address().to_string();
        if let Ok(fresh) = super::postgres::PgStore::connection(&url) {
            *self.shop.borrow_mut() = fresh;
            self.prepared.borrow_mut().clear();
        }
    }

    /// The statement for `sql`, translated and prepared the first time, and its arguments in order.
    fn statement(&self, sql: &str, args: &ArgList<'_>) -> SqlResult<(postgres::Statement, Vec<PgArg>)> {
        self.revive();
        let mut prepared = self.prepared.borrow_mut();
        if !prepared.contains_key(sql) {
            let (text, slots) = translate(sql);
            let mut client = self.client();
            // Inside a transaction a refused statement would abort it: the first try is made
            // under a savepoint, so that the typed second one can follow.
            let guarded = self.in_transaction.get();
            if guarded {
                client.batch_execute("SAVEPOINT regulars_prepare")?;
            }
            let stmt = match client.prepare(&text) {
                // A parameter the statement alone does not type (`?1 IS NULL`): typed by the
                // arguments of its first use (which are the same kinds each time).
                Err(e) if untyped_parameter(&e) => {
                    if guarded {
                        client.batch_execute("ROLLBACK TO SAVEPOINT regulars_prepare")?;
                    }
                    let types: Vec<Type> = slots.iter().map(|slot| arg_of(slot, args).map_or(Type::TEXT, |a| a.pg().type_hint())).collect();
                    client.prepare_typed(&text, &types)
                }
                other => other,
            };
            if guarded {
                let end = if stmt.is_ok() { "RELEASE SAVEPOINT regulars_prepare" } else { "ROLLBACK TO SAVEPOINT regulars_prepare" };
                client.batch_execute(end)?;
            }
            let stmt = stmt?;
            prepared.insert(sql.to_string(), (stmt, slots, text));
        }
        let (stmt, slots, _) = &prepared[sql];
        let values = slots
            .iter()
            .map(|slot| {
                arg_of(slot, args)
                    .map(|a| a.pg()).ok_or_else(|| SqlError::Lite(rusqlite::Error::InvalidParameterName(format!("{slot:?}"))))
            })
            .collect::<SqlResult<Vec<_>>>()?;
        Ok((stmt.clone(), values))
    }

    fn query(&self, sql: &str, args: &ArgList<'_>, plan: Plan) -> SqlResult<Vec<postgres::Row>> {
        traced(sql, || {
            let (stmt, values) = self.statement(sql, args)?;
            if plan == Plan::PerValues {
                // The kept statement gave the parameters' types; the unnamed one sent with its
                // values is parsed, planned and run in one round trip.
                let typed: Vec<(&(dyn postgres::types::ToSql + Sync), Type)> =
                    values.iter().zip(stmt.params()).map(|(v, ty)| (v as _, ty.clone())).collect();
                let text = &self.prepared.borrow()[sql].2;
                return Ok(self.client().query_typed(text, &typed)?);
            }
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = values.iter().map(|v| v as _).collect();
            Ok(self.client().query(&stmt, &refs)?)
        })
    }

    fn execute(&self, sql: &str, args: &ArgList<'_>) -> SqlResult<u64> {
        traced(sql, || {
            let (stmt, values) = self.statement(sql, args)?;
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = values.iter().map(|v| v as _).collect();
            Ok(self.client().execute(&stmt, &refs)?)
        })
    }
}

/// Runs `f`; with `REGULARS_TRACE_SQL` set, a statement the server refused is printed with the
/// refusal (for whoever works on the store: the person using Regulars gets the plain message).
fn traced<T>(sql: &str, f: impl FnOnce() -> SqlResult<T>) -> SqlResult<T> {
    let result = f();
    if let Err(e) = &result {
        if std::env::var_os("REGULARS_TRACE_SQL").is_some() {
            eprintln!("refused: {e:?}\n  in: {}", translate(sql).0);
        }
    }
    result
}

/// The server could not tell a parameter's type from the statement alone.
fn untyped_parameter(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    [SqlState::UNDEFINED_PARAMETER, SqlState::INDETERMINATE_DATATYPE, SqlState::AMBIGUOUS_PARAMETER].iter().any(|c| e.code() == Some(c))
}

/// The argument a parameter takes.
fn arg_of<'a>(slot: &Slot, args: &ArgList<'a>) -> Option<&'a dyn Arg> {
    match (slot, args) {
        (Slot::At(n), ArgList::Positional(list)) => list.get(n - 1).copied(),
        (Slot::Named(name), ArgList::Named(list)) => list.iter().find(|(k, _)| k.trim_start_matches(':') == name).map(|(_, a)| *a),
        _ => None,
    }
}

/// Which argument a Postgres parameter takes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// The n-th positional argument (from 1).
    At(usize),
    /// The argument of this name (without its colon).
    Named(String),
}

/// A statement written for SQLite, as Postgres reads it, and which argument each `$n` takes.
fn translate(sql: &str) -> (String, Vec<Slot>) {
    let mut text = sql
        .replace("IN rarray(", "= ANY(")
        .replace("group_concat(", "string_agg(")
        .replace("char(31)", "chr(31)")
        .replace("ifnull(", "coalesce(")
        .replace("main.", "")
        .replace("instr(", "strpos(")
        .replace(" IS NOT ?", " IS DISTINCT FROM ?")
        // Flags are integers (0 or 1) on both; Postgres does not read an integer as a condition.
        .replace("NOT is_return", "is_return = 0")
        .replace("NOT q.is_return", "q.is_return = 0");
    if let Some(rest) = text.strip_prefix("INSERT OR IGNORE INTO") {
        text = format!("INSERT INTO{rest} ON CONFLICT DO NOTHING");
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut slots: Vec<Slot> = Vec::new();
    let mut next = 1;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut quoted: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quoted {
            out.push(c);
            if c == q {
                quoted = None;
            }
            i += 1;
            continue;
        }
        let slot = match c {
            '\'' | '"' => {
                quoted = Some(c);
                None
            }
            '?' => {
                let digits: String = chars[i + 1..].iter().take_while(|d| d.is_ascii_digit()).collect();
                i += digits.len();
                Some(match digits.parse::<usize>() {
                    Ok(n) => Slot::At(n),
                    Err(_) => Slot::At(next),
                })
            }
            ':' if chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || *n == '_') && (i == 0 || chars[i - 1] != ':') => {
                let name: String = chars[i + 1..].iter().take_while(|d| d.is_ascii_alphanumeric() || **d == '_').collect();
                i += name.len();
                Some(Slot::Named(name))
            }
            _ => None,
        };
        match slot {
            Some(slot) => {
                if let Slot::At(n) = slot {
                    next = n + 1;
                }
                let k = match slots.iter().position(|s| *s == slot) {
                    Some(k) => k,
                    None => {
                        slots.push(slot);
                        slots.len() - 1
                    }
                };
                out.push_str(&format!("${}", k + 1));
            }
            None => out.push(c),
        }
        i += 1;
    }
    (out, slots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_translated_for_postgres() {
        let (sql, slots) = translate("SELECT a FROM t WHERE b = ?1 AND c IN rarray(?2) AND d = ?1");
        assert_eq!(sql, "SELECT a FROM t WHERE b = $1 AND c = ANY($2) AND d = $1");
        assert_eq!(slots, vec![Slot::At(1), Slot::At(2)]);
        let (sql, slots) = translate("SELECT x FROM t WHERE y = ?2 AND z > ?1");
        assert_eq!(sql, "SELECT x FROM t WHERE y = $1 AND z > $2");
        assert_eq!(slots, vec![Slot::At(2), Slot::At(1)], "each $n takes the argument its ? named");
        let (sql, slots) = translate("UPDATE t SET a = ?, b = ? WHERE note = 'why? :no' AND c >= :since::text");
        assert_eq!(sql, "UPDATE t SET a = $1, b = $2 WHERE note = 'why? :no' AND c >= $3::text");
        assert_eq!(slots, vec![Slot::At(1), Slot::At(2), Slot::Named("since".into())]);
        let (sql, _) = translate("INSERT OR IGNORE INTO tags (a) VALUES (?1)");
        assert_eq!(sql, "INSERT INTO tags (a) VALUES ($1) ON CONFLICT DO NOTHING");
        let (sql, _) = translate("SELECT group_concat(tag, char(31)), ifnull(x, 0) FROM main.t");
        assert_eq!(sql, "SELECT string_agg(tag, chr(31)), coalesce(x, 0) FROM t");
        let (sql, _) = translate("SELECT id FROM imports WHERE id IS NOT ?2 AND undone_at IS NOT NULL AND instr(t, '?') > 0");
        assert_eq!(sql, "SELECT id FROM imports WHERE id IS DISTINCT FROM $1 AND undone_at IS NOT NULL AND strpos(t, '?') > 0");
    }

    #[test]
    fn postgres_numerics_read_as_sqlite_values() {
        // 12345678 = 1234 * 10000 + 5678: two digits, weight 1, positive, scale 0.
        let mut v = vec![];
        for w in [2u16, 1, 0, 0, 1234, 5678] {
            v.extend(w.to_be_bytes());
        }
        assert_eq!(numeric(&v).unwrap(), ValueRef::Integer(12_345_678));
        let mut neg = vec![];
        for w in [2u16, 0, 0x4000, 2, 12, 5000] {
            neg.extend(w.to_be_bytes());
        }
        assert_eq!(numeric(&neg).unwrap(), ValueRef::Real(-12.5));
        let zero: Vec<u8> = [0u16, 0, 0, 0].iter().flat_map(|w| w.to_be_bytes()).collect();
        assert_eq!(numeric(&zero).unwrap(), ValueRef::Integer(0));
    }
}
