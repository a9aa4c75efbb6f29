//! Recognising what a client sent: splitting a simple-query string into statements, and telling
//! the statements the session handles itself (transaction control, SET/SHOW/RESET, cursors,
//! COPY TO STDOUT, DISCARD, …) from queries that go to DuckDB.
//!
//! Built on sqlparser's PostgreSQL tokenizer (strings, dollar quotes, comments, `E''` escapes)
//! with source spans, so an inner query (`DECLARE c CURSOR FOR <query>`, `COPY (<query>) TO
//! STDOUT`, `EXPLAIN <query>`) is cut out of the original text and reaches DuckDB exactly as
//! written — DuckDB's dialect is richer than any parser's idea of it.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

/// One statement the session understands.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Only whitespace, comments or semicolons.
    Empty,
    /// A query for DuckDB (after the guard and rewrites).
    Query(String),
    /// `EXPLAIN [ANALYZE] <query>`: the inner query is guarded, the whole runs in DuckDB.
    Explain {
        analyze: bool,
        query: String,
    },
    Begin {
        isolation: Option<String>,
        read_write: bool,
    },
    Commit,
    Rollback,
    Savepoint(String),
    ReleaseSavepoint(String),
    RollbackToSavepoint(String),
    /// `SET [SESSION | LOCAL] name { TO | = } value`, `SET TIME ZONE …`, `SET NAMES …`.
    Set {
        name: String,
        value: Option<String>,
        local: bool,
    },
    /// `SET [SESSION CHARACTERISTICS AS] TRANSACTION …`
    SetTransaction {
        read_write: bool,
    },
    /// `SET ROLE …` / `SET SESSION AUTHORIZATION …`
    SetRole,
    Reset(Option<String>),
    /// `SHOW name` for a PostgreSQL setting, or `SHOW ALL`.
    Show(String),
    Discard(String),
    Declare {
        name: String,
        binary: bool,
        hold: bool,
        query: String,
    },
    Fetch {
        name: String,
        count: FetchCount,
        /// MOVE skips rows instead of returning them.
        skip: bool,
    },
    Close(Option<String>),
    CopyOut {
        query: String,
        options: CopyOptions,
    },
    /// `COPY … FROM STDIN` or `COPY … TO 'file'`: always refused.
    CopyRefused {
        from: bool,
    },
    Deallocate(Option<String>),
    /// `LISTEN`/`NOTIFY`: not supported; `UNLISTEN`: accepted (poolers send it on reset).
    Listen {
        unlisten: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchCount {
    All,
    Count(u64),
    /// Backward movement (`PRIOR`, `BACKWARD`, negative counts, `ABSOLUTE`, …): cursors stream
    /// forward only.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyOptions {
    /// text (default), csv or binary.
    pub format: String,
    pub header: bool,
    pub delimiter: Option<char>,
    pub null: Option<String>,
    pub quote: Option<char>,
    pub escape: Option<char>,
}

/// Splits a query string into statements at top-level semicolons. Falls back to the whole
/// string when it cannot be tokenized (DuckDB then reports the syntax error).
pub fn split(sql: &str) -> Vec<String> {
    let Ok(tokens) = tokenize(sql) else {
        return vec![sql.to_string()];
    };
    let offsets = LineOffsets::new(sql);
    let mut statements = Vec::new();
    let mut start = 0usize;
    for t in &tokens {
        if t.token == Token::SemiColon {
            let end = offsets.byte(t.span.start);
            statements.push(sql[start..end].to_string());
            start = offsets.byte(t.span.end);
        }
    }
    statements.push(sql[start..].to_string());
    let non_empty: Vec<String> = statements.into_iter().filter(|s| !is_blank(s)).collect();
    if non_empty.is_empty() {
        vec![String::new()]
    } else {
        non_empty
    }
}

fn tokenize(sql: &str) -> Result<Vec<TokenWithSpan>, String> {
    Tokenizer::new(&PostgreSqlDialect {}, sql)
        .with_unescape(true)
        .tokenize_with_location()
        .map_err(|e| e.to_string())
}

fn is_blank(s: &str) -> bool {
    match tokenize(s) {
        Ok(tokens) => tokens.iter().all(|t| {
            matches!(
                t.token,
                Token::Whitespace(_) | Token::SemiColon | Token::EOF
            )
        }),
        Err(_) => s.trim().is_empty(),
    }
}

/// sqlparser reports 1-based line/column (in characters); the original text is sliced by byte.
struct LineOffsets<'a> {
    sql: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineOffsets<'a> {
    fn new(sql: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(sql.match_indices('\n').map(|(i, _)| i + 1));
        LineOffsets { sql, starts }
    }

    fn byte(&self, loc: sqlparser::tokenizer::Location) -> usize {
        if loc.line == 0 {
            return self.sql.len();
        }
        let line_start = self.starts[(loc.line as usize - 1).min(self.starts.len() - 1)];
        let line = &self.sql[line_start..];
        let col = loc.column.saturating_sub(1) as usize;
        line.char_indices()
            .nth(col)
            .map(|(i, _)| line_start + i)
            .unwrap_or(self.sql.len())
    }
}

/// The significant tokens of a statement with their byte offsets.
struct Words<'a> {
    sql: &'a str,
    tokens: Vec<(Token, usize)>,
}

impl<'a> Words<'a> {
    fn new(sql: &'a str) -> Option<Self> {
        let offsets = LineOffsets::new(sql);
        let tokens = tokenize(sql)
            .ok()?
            .into_iter()
            .filter(|t| {
                !matches!(
                    t.token,
                    Token::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab)
                )
            })
            .filter(|t| {
                !matches!(
                    t.token,
                    Token::Whitespace(_) | Token::EOF | Token::SemiColon
                )
            })
            .map(|t| {
                let at = offsets.byte(t.span.start);
                (t.token, at)
            })
            .collect();
        Some(Words { sql, tokens })
    }

    /// The upper-cased keyword (unquoted word) at `i`.
    fn kw(&self, i: usize) -> Option<String> {
        match self.tokens.get(i) {
            Some((Token::Word(w), _)) if w.quote_style.is_none() => {
                Some(w.value.to_ascii_uppercase())
            }
            _ => None,
        }
    }

    fn is(&self, i: usize, kw: &str) -> bool {
        self.kw(i).as_deref() == Some(kw)
    }

    /// An identifier (quoted or not) at `i`, folded as PostgreSQL folds unquoted names.
    fn ident(&self, i: usize) -> Option<String> {
        match self.tokens.get(i) {
            Some((Token::Word(w), _)) if w.quote_style.is_none() => Some(w.value.to_lowercase()),
            Some((Token::Word(w), _)) => Some(w.value.clone()),
            _ => None,
        }
    }

    /// The source text from token `i` to the end.
    fn rest(&self, i: usize) -> String {
        match self.tokens.get(i) {
            Some((_, at)) => self.sql[*at..]
                .trim()
                .trim_end_matches(';')
                .trim()
                .to_string(),
            None => String::new(),
        }
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }

    /// A value as PostgreSQL's SET reads it: words, strings and numbers, comma-separated.
    fn value_list(&self, from: usize) -> Option<String> {
        let mut parts = Vec::new();
        let mut i = from;
        while i < self.len() {
            let part = match &self.tokens[i].0 {
                Token::Word(w) if w.quote_style.is_none() => {
                    if w.value.eq_ignore_ascii_case("DEFAULT")
                        && i == from
                        && self.len() == from + 1
                    {
                        return None;
                    }
                    w.value.to_lowercase()
                }
                Token::Word(w) => w.value.clone(),
                Token::SingleQuotedString(s)
                | Token::EscapedStringLiteral(s)
                | Token::NationalStringLiteral(s) => s.clone(),
                Token::DollarQuotedString(s) => s.value.clone(),
                Token::Number(n, _) => n.clone(),
                Token::Minus => {
                    i += 1;
                    match self.tokens.get(i) {
                        Some((Token::Number(n, _), _)) => format!("-{n}"),
                        _ => return Some(String::new()),
                    }
                }
                Token::Plus => {
                    i += 1;
                    match self.tokens.get(i) {
                        Some((Token::Number(n, _), _)) => format!("+{n}"),
                        _ => return Some(String::new()),
                    }
                }
                Token::Comma => {
                    i += 1;
                    continue;
                }
                other => other.to_string(),
            };
            parts.push(part);
            i += 1;
        }
        Some(parts.join(", "))
    }
}

/// Recognises one statement (already split).
pub fn recognise(sql: &str) -> Command {
    let Some(w) = Words::new(sql) else {
        return Command::Query(sql.trim().to_string());
    };
    if w.len() == 0 {
        return Command::Empty;
    }
    let Some(first) = w.kw(0) else {
        return Command::Query(w.rest(0));
    };
    match first.as_str() {
        "BEGIN" | "START" => {
            let modes: Vec<String> = (1..w.len()).filter_map(|i| w.kw(i)).collect();
            let joined = modes.join(" ");
            let isolation = [
                "SERIALIZABLE",
                "REPEATABLE READ",
                "READ COMMITTED",
                "READ UNCOMMITTED",
            ]
            .iter()
            .find(|l| joined.contains(*l))
            .map(|l| l.to_ascii_lowercase());
            Command::Begin {
                isolation,
                read_write: joined.contains("READ WRITE"),
            }
        }
        "COMMIT" | "END" => Command::Commit,
        "ABORT" => Command::Rollback,
        "ROLLBACK" => {
            let to = (1..w.len()).find(|&i| w.is(i, "TO"));
            match to {
                Some(i) => {
                    let name_at = if w.is(i + 1, "SAVEPOINT") {
                        i + 2
                    } else {
                        i + 1
                    };
                    Command::RollbackToSavepoint(w.ident(name_at).unwrap_or_default())
                }
                None => Command::Rollback,
            }
        }
        "SAVEPOINT" => Command::Savepoint(w.ident(1).unwrap_or_default()),
        "RELEASE" => {
            let at = if w.is(1, "SAVEPOINT") { 2 } else { 1 };
            Command::ReleaseSavepoint(w.ident(at).unwrap_or_default())
        }
        "SET" => recognise_set(&w),
        "RESET" => {
            if w.is(1, "ALL") {
                Command::Reset(None)
            } else {
                let name = setting_name(&w, 1).0;
                Command::Reset(Some(name))
            }
        }
        "SHOW" => {
            let (name, _) = setting_name(&w, 1);
            let name = match name.as_str() {
                "time" if w.is(2, "ZONE") => "timezone".to_string(),
                "transaction" if w.is(2, "ISOLATION") => "transaction_isolation".to_string(),
                "session" if w.is(2, "AUTHORIZATION") => "session_authorization".to_string(),
                _ => name,
            };
            if name == "all" && w.len() == 2 || super::settings::is_known(&name) {
                Command::Show(name)
            } else {
                // DuckDB's own SHOW (tables, a table's columns): a query.
                Command::Query(w.rest(0))
            }
        }
        "DISCARD" => Command::Discard(w.kw(1).unwrap_or_else(|| "ALL".into())),
        "DECLARE" => recognise_declare(&w).unwrap_or_else(|| Command::Query(w.rest(0))),
        "FETCH" | "MOVE" => recognise_fetch(&w, first == "MOVE"),
        "CLOSE" => {
            if w.is(1, "ALL") {
                Command::Close(None)
            } else {
                Command::Close(Some(w.ident(1).unwrap_or_default()))
            }
        }
        "COPY" => recognise_copy(&w),
        "DEALLOCATE" => {
            let at = if w.is(1, "PREPARE") { 2 } else { 1 };
            if w.is(at, "ALL") {
                Command::Deallocate(None)
            } else {
                Command::Deallocate(Some(w.ident(at).unwrap_or_default()))
            }
        }
        "LISTEN" | "NOTIFY" => Command::Listen { unlisten: false },
        "UNLISTEN" => Command::Listen { unlisten: true },
        "EXPLAIN" => {
            let mut i = 1;
            let mut analyze = false;
            // EXPLAIN ANALYZE q, EXPLAIN (ANALYZE, …) q
            if matches!(w.tokens.get(1), Some((Token::LParen, _))) {
                while i < w.len() && !matches!(w.tokens[i].0, Token::RParen) {
                    analyze |= w.is(i, "ANALYZE");
                    i += 1;
                }
                i += 1;
            }
            while w.is(i, "ANALYZE") || w.is(i, "VERBOSE") {
                analyze |= w.is(i, "ANALYZE");
                i += 1;
            }
            Command::Explain {
                analyze,
                query: w.rest(i),
            }
        }
        _ => Command::Query(w.rest(0)),
    }
}

/// A setting's name at `i`, possibly dotted (`my.option`); returns the name and the next index.
fn setting_name(w: &Words<'_>, i: usize) -> (String, usize) {
    let mut name = w.ident(i).unwrap_or_default();
    let mut next = i + 1;
    while matches!(w.tokens.get(next), Some((Token::Period, _))) {
        name.push('.');
        name.push_str(&w.ident(next + 1).unwrap_or_default());
        next += 2;
    }
    (name, next)
}

fn recognise_set(w: &Words<'_>) -> Command {
    let mut i = 1;
    let mut local = false;
    if w.is(i, "SESSION") {
        if w.is(i + 1, "CHARACTERISTICS") {
            let modes: Vec<String> = (i..w.len()).filter_map(|j| w.kw(j)).collect();
            return Command::SetTransaction {
                read_write: modes.join(" ").contains("READ WRITE"),
            };
        }
        if w.is(i + 1, "AUTHORIZATION") {
            return Command::SetRole;
        }
        i += 1;
    } else if w.is(i, "LOCAL") {
        local = true;
        i += 1;
    }
    if w.is(i, "TRANSACTION") {
        let modes: Vec<String> = (i..w.len()).filter_map(|j| w.kw(j)).collect();
        return Command::SetTransaction {
            read_write: modes.join(" ").contains("READ WRITE"),
        };
    }
    if w.is(i, "ROLE") {
        return Command::SetRole;
    }
    if w.is(i, "TIME") && w.is(i + 1, "ZONE") {
        let value = if w.is(i + 2, "LOCAL") || w.is(i + 2, "DEFAULT") {
            None
        } else {
            w.value_list(i + 2)
        };
        return Command::Set {
            name: "timezone".into(),
            value,
            local,
        };
    }
    if w.is(i, "NAMES") {
        return Command::Set {
            name: "client_encoding".into(),
            value: w.value_list(i + 1),
            local,
        };
    }
    let (name, next) = setting_name(w, i);
    let value_at = match w.tokens.get(next) {
        Some((Token::Eq, _)) => next + 1,
        _ if w.is(next, "TO") => next + 1,
        _ => next,
    };
    Command::Set {
        name,
        value: w.value_list(value_at),
        local,
    }
}

fn recognise_declare(w: &Words<'_>) -> Option<Command> {
    let name = w.ident(1)?;
    let mut binary = false;
    let mut hold = false;
    let mut i = 2;
    while i < w.len() {
        match w.kw(i).as_deref() {
            Some("BINARY") => binary = true,
            Some("CURSOR") => {}
            Some("WITH") if w.is(i + 1, "HOLD") => {
                hold = true;
                i += 1;
            }
            Some("WITHOUT") if w.is(i + 1, "HOLD") => i += 1,
            Some("NO" | "SCROLL" | "INSENSITIVE" | "ASENSITIVE") => {}
            Some("FOR") => {
                return Some(Command::Declare {
                    name,
                    binary,
                    hold,
                    query: w.rest(i + 1),
                });
            }
            _ => return None,
        }
        i += 1;
    }
    None
}

fn recognise_fetch(w: &Words<'_>, skip: bool) -> Command {
    // FETCH [ direction ] [ FROM | IN ] cursor_name
    let mut i = 1;
    let mut count = FetchCount::Count(1);
    let number = |i: usize| match w.tokens.get(i) {
        Some((Token::Number(n, _), _)) => n.parse::<u64>().ok(),
        _ => None,
    };
    match w.kw(i).as_deref() {
        Some("NEXT") => i += 1,
        Some("ALL") => {
            count = FetchCount::All;
            i += 1;
        }
        Some("FORWARD") => {
            i += 1;
            if w.is(i, "ALL") {
                count = FetchCount::All;
                i += 1;
            } else if let Some(n) = number(i) {
                count = FetchCount::Count(n);
                i += 1;
            }
        }
        Some("PRIOR" | "FIRST" | "LAST" | "ABSOLUTE" | "RELATIVE" | "BACKWARD") => {
            return Command::Fetch {
                name: w.ident(w.len() - 1).unwrap_or_default(),
                count: FetchCount::Unsupported,
                skip,
            };
        }
        _ => {
            if matches!(w.tokens.get(i), Some((Token::Minus, _))) {
                return Command::Fetch {
                    name: w.ident(w.len() - 1).unwrap_or_default(),
                    count: FetchCount::Unsupported,
                    skip,
                };
            }
            if let Some(n) = number(i) {
                count = FetchCount::Count(n);
                i += 1;
            }
        }
    }
    if w.is(i, "FROM") || w.is(i, "IN") {
        i += 1;
    }
    Command::Fetch {
        name: w.ident(i).unwrap_or_default(),
        count,
        skip,
    }
}

fn recognise_copy(w: &Words<'_>) -> Command {
    // COPY ( query ) TO STDOUT [ [ WITH ] ( option [, ...] ) ] | COPY table [ ( cols ) ] TO STDOUT …
    let mut query;
    let mut i;
    if matches!(w.tokens.get(1), Some((Token::LParen, _))) {
        let mut depth = 0;
        i = 1;
        let start = w.tokens[1].1 + 1;
        let mut end = start;
        while i < w.len() {
            match w.tokens[i].0 {
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        end = w.tokens[i].1;
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        query = w.sql[start..end].trim().to_string();
        i += 1;
    } else {
        // A table (optionally with a column list): read it as a query.
        let mut name_end = 2;
        while matches!(w.tokens.get(name_end), Some((Token::Period, _))) {
            name_end += 2;
        }
        let table_start = w.tokens.get(1).map(|t| t.1).unwrap_or(0);
        let table_end = w.tokens.get(name_end).map(|t| t.1).unwrap_or(w.sql.len());
        let table = w.sql[table_start..table_end].trim().to_string();
        i = name_end;
        let mut columns = "*".to_string();
        if matches!(w.tokens.get(i), Some((Token::LParen, _))) {
            let start = w.tokens[i].1 + 1;
            while i < w.len() && !matches!(w.tokens[i].0, Token::RParen) {
                i += 1;
            }
            columns = w.sql[start..w.tokens.get(i).map(|t| t.1).unwrap_or(w.sql.len())].to_string();
            i += 1;
        }
        query = format!("SELECT {columns} FROM {table}");
    }
    if w.is(i, "FROM") {
        return Command::CopyRefused { from: true };
    }
    if !w.is(i, "TO") || !w.is(i + 1, "STDOUT") {
        return Command::CopyRefused { from: false };
    }
    i += 2;
    let mut options = CopyOptions {
        format: "text".into(),
        ..CopyOptions::default()
    };
    if w.is(i, "WITH") {
        i += 1;
    }
    // New-style: ( option value, … ); old-style: BINARY / CSV HEADER / DELIMITER 'x' / NULL 'x'.
    let parenthesised = matches!(w.tokens.get(i), Some((Token::LParen, _)));
    if parenthesised {
        i += 1;
    }
    while i < w.len() {
        if matches!(w.tokens[i].0, Token::RParen) {
            break;
        }
        if matches!(w.tokens[i].0, Token::Comma) {
            i += 1;
            continue;
        }
        let key = w.kw(i).unwrap_or_default();
        let value = |j: usize| -> Option<String> {
            match w.tokens.get(j) {
                Some((Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s), _)) => {
                    Some(s.clone())
                }
                Some((Token::Word(word), _)) => Some(word.value.to_lowercase()),
                _ => None,
            }
        };
        let boolean = |j: usize| match w.kw(j).as_deref() {
            Some("FALSE" | "OFF" | "0") => (false, j + 1),
            Some("TRUE" | "ON" | "1") => (true, j + 1),
            _ => match w.tokens.get(j) {
                Some((Token::Number(n, _), _)) => (n != "0", j + 1),
                _ => (true, j),
            },
        };
        match key.as_str() {
            "FORMAT" => {
                options.format = value(i + 1).unwrap_or_default();
                i += 2;
            }
            "BINARY" => {
                options.format = "binary".into();
                i += 1;
            }
            "CSV" => {
                options.format = "csv".into();
                i += 1;
            }
            "HEADER" => {
                let (b, next) = boolean(i + 1);
                options.header = b;
                i = next;
            }
            "DELIMITER" => {
                options.delimiter = value(i + 1).and_then(|s| s.chars().next());
                i += 2;
            }
            "NULL" => {
                options.null = value(i + 1);
                i += 2;
            }
            "QUOTE" => {
                options.quote = value(i + 1).and_then(|s| s.chars().next());
                i += 2;
            }
            "ESCAPE" => {
                options.escape = value(i + 1).and_then(|s| s.chars().next());
                i += 2;
            }
            "ENCODING" => i += 2,
            _ => i += 1,
        }
    }
    query = query.trim().to_string();
    Command::CopyOut { query, options }
}

/// `sql` with each `$n` replaced by `CAST(NULL AS <type of $n>)`, for learning the result
/// columns of a statement DuckDB cannot type before its parameters are bound.
pub fn with_null_parameters(
    sql: &str,
    types: &[crate::lake::types::LogicalType],
) -> Option<String> {
    let tokens = tokenize(sql).ok()?;
    let offsets = LineOffsets::new(sql);
    let mut out = String::with_capacity(sql.len());
    let mut last = 0;
    for t in &tokens {
        if let Token::Placeholder(p) = &t.token {
            let index: usize = p.strip_prefix('$')?.parse().ok()?;
            let ty = types.get(index.checked_sub(1)?)?;
            let start = offsets.byte(t.span.start);
            let end = offsets.byte(t.span.end);
            out.push_str(&sql[last..start]);
            out.push_str(&format!("CAST(NULL AS {})", ty.sql_name()?));
            last = end;
        }
    }
    out.push_str(&sql[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_top_level_semicolons() {
        assert_eq!(
            split("SELECT 'a;b'; SELECT $$x;y$$ ; -- c;\n SELECT 3;"),
            vec!["SELECT 'a;b'", " SELECT $$x;y$$ ", " -- c;\n SELECT 3"]
        );
        assert_eq!(split(" ; ;"), vec![String::new()]);
        assert_eq!(
            split("SELECT 'é'; SELECT 2"),
            vec!["SELECT 'é'", " SELECT 2"]
        );
    }

    #[test]
    fn recognises_transaction_control() {
        assert_eq!(
            recognise("BEGIN ISOLATION LEVEL REPEATABLE READ"),
            Command::Begin {
                isolation: Some("repeatable read".into()),
                read_write: false
            }
        );
        assert_eq!(
            recognise("start transaction read write"),
            Command::Begin {
                isolation: None,
                read_write: true
            }
        );
        assert_eq!(recognise("COMMIT"), Command::Commit);
        assert_eq!(recognise("end"), Command::Commit);
        assert_eq!(
            recognise("ROLLBACK TO SAVEPOINT sp1"),
            Command::RollbackToSavepoint("sp1".into())
        );
        assert_eq!(
            recognise("RELEASE sp1"),
            Command::ReleaseSavepoint("sp1".into())
        );
        assert_eq!(recognise("  -- hi\n"), Command::Empty);
    }

    #[test]
    fn recognises_settings() {
        assert_eq!(
            recognise("SET search_path TO energy, \"Odd Schema\""),
            Command::Set {
                name: "search_path".into(),
                value: Some("energy, Odd Schema".into()),
                local: false
            }
        );
        assert_eq!(
            recognise("set extra_float_digits = -2"),
            Command::Set {
                name: "extra_float_digits".into(),
                value: Some("-2".into()),
                local: false
            }
        );
        assert_eq!(
            recognise("SET TIME ZONE 'Europe/London'"),
            Command::Set {
                name: "timezone".into(),
                value: Some("Europe/London".into()),
                local: false
            }
        );
        assert_eq!(
            recognise("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"),
            Command::SetTransaction { read_write: false }
        );
        assert_eq!(
            recognise("SET application_name TO DEFAULT"),
            Command::Set {
                name: "application_name".into(),
                value: None,
                local: false
            }
        );
        assert_eq!(
            recognise("SHOW search_path"),
            Command::Show("search_path".into())
        );
        assert_eq!(
            recognise("SHOW TIME ZONE"),
            Command::Show("timezone".into())
        );
        assert_eq!(
            recognise("SHOW TABLES"),
            Command::Query("SHOW TABLES".into())
        );
        assert_eq!(recognise("RESET ALL"), Command::Reset(None));
        assert_eq!(
            recognise("set myapp.user = 'x'"),
            Command::Set {
                name: "myapp.user".into(),
                value: Some("x".into()),
                local: false
            }
        );
    }

    #[test]
    fn recognises_cursors_and_copy() {
        assert_eq!(
            recognise(
                "DECLARE \"c1\" BINARY CURSOR WITHOUT HOLD FOR SELECT * FROM t WHERE x = 'a;'"
            ),
            Command::Declare {
                name: "c1".into(),
                binary: true,
                hold: false,
                query: "SELECT * FROM t WHERE x = 'a;'".into()
            }
        );
        assert_eq!(
            recognise("FETCH FORWARD 2000 FROM \"c1\""),
            Command::Fetch {
                name: "c1".into(),
                count: FetchCount::Count(2000),
                skip: false
            }
        );
        assert_eq!(
            recognise("FETCH ALL c1"),
            Command::Fetch {
                name: "c1".into(),
                count: FetchCount::All,
                skip: false
            }
        );
        assert_eq!(
            recognise("MOVE 5 IN c1"),
            Command::Fetch {
                name: "c1".into(),
                count: FetchCount::Count(5),
                skip: true
            }
        );
        assert_eq!(
            recognise("FETCH PRIOR FROM c1").clone(),
            Command::Fetch {
                name: "c1".into(),
                count: FetchCount::Unsupported,
                skip: false
            }
        );
        assert_eq!(recognise("CLOSE c1"), Command::Close(Some("c1".into())));
        match recognise("COPY (SELECT a, ')' FROM t) TO STDOUT WITH (FORMAT csv, HEADER)") {
            Command::CopyOut { query, options } => {
                assert_eq!(query, "SELECT a, ')' FROM t");
                assert_eq!(options.format, "csv");
                assert!(options.header);
            }
            other => panic!("{other:?}"),
        }
        match recognise("COPY energy.ghg_emissions (la_code, year) TO STDOUT BINARY") {
            Command::CopyOut { query, options } => {
                assert_eq!(query, "SELECT la_code, year FROM energy.ghg_emissions");
                assert_eq!(options.format, "binary");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            recognise("COPY t FROM STDIN"),
            Command::CopyRefused { from: true }
        );
        assert_eq!(
            recognise("COPY t TO '/tmp/x'"),
            Command::CopyRefused { from: false }
        );
    }

    #[test]
    fn parameters_become_typed_nulls() {
        use crate::lake::types::LogicalType;
        assert_eq!(
            with_null_parameters(
                "SELECT * FROM range($1::BIGINT) WHERE x = '$2'",
                &[LogicalType::BigInt]
            )
            .unwrap(),
            "SELECT * FROM range(CAST(NULL AS BIGINT)::BIGINT) WHERE x = '$2'"
        );
    }

    #[test]
    fn queries_pass_through_as_written() {
        assert_eq!(
            recognise("  FROM t SELECT [1,2] AS l ; "),
            Command::Query("FROM t SELECT [1,2] AS l".into())
        );
        assert_eq!(
            recognise("EXPLAIN ANALYZE SELECT 1"),
            Command::Explain {
                analyze: true,
                query: "SELECT 1".into()
            }
        );
    }
}
