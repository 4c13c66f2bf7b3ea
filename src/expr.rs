//! The rule language: the expressions of criteria (conditions, scores, `each` lists), parsed
//! once into a tree and evaluated over the values rules see, without the template VM.
//!
//! The syntax and meaning are those of minijinja expressions, restricted to what rules need
//! (see `docs/criteria.md`): literals, lists and tables, `a.x`, `f.features[item]`, `not`,
//! `and`, `or`, comparisons, `in`, `is none`, `+ - * /`, `x if c else y`, the filters
//! `length`, `list`, `select`, `min`, `max` and the functions `share`, `pick`,
//! `unknown_count`. Values are minijinja's own, and so are equality, order and truth, so a
//! rule means what it meant as a template expression; undefined values are as strict as
//! there. There are no loops, so a rule needs no fuel: its work is bounded by its length and
//! the lists it reads. Sentences are text with such expressions in them (`src/sentence.rs`).

use std::collections::BTreeMap;
use std::fmt;

use minijinja::value::{ObjectRepr, Value, ValueKind};

/// How deeply brackets and operators may nest: a hostile file must not exhaust the stack.
const MAX_DEPTH: usize = 64;

/// A parsed rule expression.
#[derive(Debug, Clone)]
pub struct Expr {
    root: Node,
}

/// What went wrong, in words for the criteria file's author.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// Whether the text does not parse (as opposed to failing on a value).
    pub syntax: bool,
    /// The message.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

fn syntax(message: impl Into<String>) -> Error {
    Error {
        syntax: true,
        message: message.into(),
    }
}

impl Error {
    /// A rule that parsed but failed on a value (also for the functions rules call).
    pub fn failed(message: impl Into<String>) -> Error {
        Error {
            syntax: false,
            message: message.into(),
        }
    }

    /// A syntax error at byte `offset` of `text` (a rule, or a sentence around its values).
    pub fn syntax_at(text: &str, message: impl Into<String>, offset: usize) -> Error {
        near(text, syntax(message), offset)
    }
}

/// A function a rule may call: `share`, `pick`, `unknown_count`.
pub type Function = fn(&[Value]) -> Result<Value, Error>;

#[derive(Debug, Clone)]
enum Node {
    Const(Value),
    Var(String),
    Attr(Box<Node>, String),
    Item(Box<Node>, Box<Node>),
    List(Vec<Node>),
    Map(Vec<(Node, Node)>),
    Not(Box<Node>),
    Neg(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Compare(Compare, Box<Node>, Box<Node>),
    In {
        negated: bool,
        value: Box<Node>,
        container: Box<Node>,
    },
    Math(Math, Box<Node>, Box<Node>),
    If {
        then: Box<Node>,
        condition: Box<Node>,
        otherwise: Option<Box<Node>>,
    },
    Filter(Filter, Box<Node>),
    Test {
        negated: bool,
        test: Test,
        value: Box<Node>,
    },
    Call(Function, Vec<Node>),
    /// A sentence filter, with its arguments.
    Custom {
        filter: FilterFn,
        value: Box<Node>,
        args: Vec<Node>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Math {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Filter {
    Length,
    List,
    Select,
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Test {
    None,
    Number,
    String,
    Defined,
    Undefined,
}

// -------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Token<'t> {
    Name(&'t str),
    Str(String),
    Int(i64),
    Float(f64),
    /// Punctuation and operators.
    Op(&'static str),
}

/// The operator or punctuation at the start of `rest`, two-character ones first.
fn operator(rest: &[u8]) -> Option<&'static str> {
    Some(match rest {
        [b'=', b'=', ..] => "==",
        [b'!', b'=', ..] => "!=",
        [b'<', b'=', ..] => "<=",
        [b'>', b'=', ..] => ">=",
        [b'*', b'*', ..] => "**",
        [b'/', b'/', ..] => "//",
        [b'(', ..] => "(",
        [b')', ..] => ")",
        [b'[', ..] => "[",
        [b']', ..] => "]",
        [b'{', ..] => "{",
        [b'}', ..] => "}",
        [b',', ..] => ",",
        [b':', ..] => ":",
        [b'.', ..] => ".",
        [b'|', ..] => "|",
        [b'<', ..] => "<",
        [b'>', ..] => ">",
        [b'+', ..] => "+",
        [b'-', ..] => "-",
        [b'*', ..] => "*",
        [b'/', ..] => "/",
        [b'%', ..] => "%",
        [b'~', ..] => "~",
        _ => return None,
    })
}

/// Tokens with the byte offset of each.
type Tokens<'t> = Vec<(Token<'t>, usize)>;

/// The tokens of `text` from byte `from`, each with its byte offset, up to the end or, with
/// `stops`, up to the first of them outside brackets (a sentence's `}}`, `%}`); returns the
/// tokens and where the stop begins. An error comes with the offset where it is.
fn tokenize<'t>(
    text: &'t str,
    from: usize,
    stops: &[&str],
) -> Result<(Tokens<'t>, usize), (Error, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(16);
    let mut i = from;
    let mut brackets = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if brackets == 0 && stops.iter().any(|stop| text[i..].starts_with(stop)) {
            return Ok((out, i));
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Token::Name(&text[start..i]), start));
        } else if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let mut float = false;
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                float = true;
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                let mut j = i + 1;
                if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                    j += 1;
                }
                if j < bytes.len() && bytes[j].is_ascii_digit() {
                    float = true;
                    i = j;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let digits = &text[start..i];
            let token =
                if float {
                    Token::Float(
                        digits
                            .parse()
                            .map_err(|_| (syntax(format!("`{digits}` is not a number")), start))?,
                    )
                } else {
                    Token::Int(digits.parse().map_err(|_| {
                        (syntax(format!("the number `{digits}` is too large")), start)
                    })?)
                };
            out.push((token, start));
        } else if c == b'\'' || c == b'"' {
            let (s, end) = string_literal(text, i).map_err(|e| (e, start))?;
            out.push((Token::Str(s), start));
            i = end;
        } else if let Some(op) = operator(&bytes[i..]) {
            match op {
                "(" | "[" | "{" => brackets += 1,
                ")" | "]" | "}" => brackets = brackets.saturating_sub(1),
                _ => {}
            }
            out.push((Token::Op(op), start));
            i += op.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return Err((syntax(format!("unexpected character `{ch}`")), i));
        }
    }
    Ok((out, i))
}

/// A quoted string starting at `start`; returns it and the index after the closing quote.
fn string_literal(text: &str, start: usize) -> Result<(String, usize), Error> {
    let quote = text.as_bytes()[start] as char;
    // Most strings have no escapes: one copy of their text.
    let body = &text[start + 1..];
    if let Some(end) = body.bytes().position(|b| b == quote as u8 || b == b'\\')
        && body.as_bytes()[end] == quote as u8
    {
        return Ok((body[..end].to_string(), start + 1 + end + 1));
    }
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, start + 1 + i + 1)),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, c @ ('\\' | '\'' | '"'))) => out.push(c),
                Some((_, c)) => return Err(syntax(format!("unknown escape `\\{c}` in a string"))),
                None => break,
            },
            c => out.push(c),
        }
    }
    Err(syntax("a string is not closed"))
}

// -------------------------------------------------------------------------------------------
// Parser: minijinja's precedence, lowest first: `x if c else y`, `or`, `and`, `not`,
// comparisons and `in`, `+ -`, `* /`, unary `-`, then postfix (`.x`, `[i]`, calls) with
// filters and tests.

struct Parser<'t> {
    tokens: &'t [(Token<'t>, usize)],
    pos: usize,
    depth: usize,
    functions: &'t [(&'static str, Function)],
    filters: &'t [(&'static str, FilterFn)],
}

/// A filter of sentences (`label`, `join(', ')`, …): the value, the arguments, and the
/// variables (for the report language).
pub type FilterFn = fn(&Value, &[Value], &Value) -> Result<Value, Error>;

/// Where a syntax error is: "(near character N)" of `text`, counted from 1.
fn near(text: &str, e: Error, offset: usize) -> Error {
    Error {
        message: format!(
            "{} (near character {})",
            e.message,
            text[..offset.min(text.len())].chars().count() + 1
        ),
        ..e
    }
}

impl Expr {
    /// Parses `text`; `functions` are the functions it may call. A syntax error says near
    /// which character of the rule it is.
    pub fn parse(text: &str, functions: &[(&'static str, Function)]) -> Result<Expr, Error> {
        let (expr, _) = Expr::parse_part(text, 0, &[], functions, &[])?;
        Ok(expr)
    }

    /// Parses the expression that starts at byte `from` of `text` and ends at the end or, with
    /// `stops`, at the first of them (a sentence's `}}`); returns it and where the stop begins.
    /// `filters` are the filters it may use besides the rules' own. Errors say near which
    /// character of the whole text they are.
    pub fn parse_part(
        text: &str,
        from: usize,
        stops: &[&str],
        functions: &[(&'static str, Function)],
        filters: &[(&'static str, FilterFn)],
    ) -> Result<(Expr, usize), Error> {
        let (tokens, end) = tokenize(text, from, stops).map_err(|(e, at)| near(text, e, at))?;
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            depth: 0,
            functions,
            filters,
        };
        // Where the parser stopped: the token it looked at, or the end of the expression.
        let stopped = |p: &Parser<'_>| p.tokens.get(p.pos).map_or(end, |(_, at)| *at);
        let root = match parser.expression() {
            Ok(root) => root,
            Err(e) => return Err(near(text, e, stopped(&parser))),
        };
        if let Some((token, at)) = parser.tokens.get(parser.pos) {
            let e = syntax(format!(
                "unexpected {} after the end of the expression",
                describe(token)
            ));
            return Err(near(text, e, *at));
        }
        if !stops.is_empty() && end == text.len() {
            let missing = syntax(format!("`{}` is missing", stops[stops.len() - 1]));
            return Err(near(text, missing, end));
        }
        Ok((Expr { root }, end))
    }

    /// The value of the expression in `ctx` (a table of the variables rules see).
    pub fn eval(&self, ctx: &Value) -> Result<Value, Error> {
        eval(&self.root, &Scope { ctx, locals: &[] })
    }

    /// The value of the expression in `ctx` with more variables (`item`, a sentence's `set`),
    /// which come before those of `ctx`.
    pub fn eval_with(&self, ctx: &Value, locals: &[(&str, Value)]) -> Result<Value, Error> {
        eval(&self.root, &Scope { ctx, locals })
    }

    /// Every variable the expression reads, with the attributes read of it, in the order of
    /// the text: `f.features.chat` is `f` with `features`, `chat`; `f.features[item]` is `f`
    /// with `features` (and `item`); `f` alone, `f[k]` or `f | length` is `f` with none (all
    /// of it).
    pub fn uses(&self) -> Vec<Use<'_>> {
        let mut out = Vec::new();
        uses(&self.root, &mut out);
        out
    }
}

/// A variable read by an expression, see [`Expr::uses`].
#[derive(Debug, Clone, PartialEq)]
pub struct Use<'e> {
    /// The variable.
    pub var: &'e str,
    /// The attributes read of it, outermost first; empty when it is used as a whole.
    pub path: Vec<&'e str>,
}

/// `var.x.y` as a variable and its attributes, if `node` is such a chain.
fn chain(node: &Node) -> Option<Use<'_>> {
    match node {
        Node::Var(var) => Some(Use {
            var,
            path: Vec::new(),
        }),
        Node::Attr(base, name) => {
            let mut u = chain(base)?;
            u.path.push(name);
            Some(u)
        }
        _ => None,
    }
}

fn uses<'e>(node: &'e Node, out: &mut Vec<Use<'e>>) {
    if let Some(u) = chain(node) {
        out.push(u);
        return;
    }
    match node {
        Node::Const(_) | Node::Var(_) => {}
        Node::Attr(base, _) | Node::Not(base) | Node::Neg(base) | Node::Filter(_, base) => {
            uses(base, out)
        }
        Node::Item(base, index) => {
            uses(base, out);
            uses(index, out);
        }
        Node::List(items) | Node::Call(_, items) => items.iter().for_each(|i| uses(i, out)),
        Node::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            uses(k, out);
            uses(v, out);
        }),
        Node::And(a, b) | Node::Or(a, b) | Node::Compare(_, a, b) | Node::Math(_, a, b) => {
            uses(a, out);
            uses(b, out);
        }
        Node::In {
            value, container, ..
        } => {
            uses(value, out);
            uses(container, out);
        }
        Node::If {
            then,
            condition,
            otherwise,
        } => {
            uses(then, out);
            uses(condition, out);
            if let Some(o) = otherwise {
                uses(o, out);
            }
        }
        Node::Test { value, .. } => uses(value, out),
        Node::Custom { value, args, .. } => {
            uses(value, out);
            args.iter().for_each(|a| uses(a, out));
        }
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Name(n) => format!("`{n}`"),
        Token::Str(s) => format!("string '{s}'"),
        Token::Int(n) => format!("number {n}"),
        Token::Float(x) => format!("number {x}"),
        Token::Op(op) => format!("`{op}`"),
    }
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&Token<'t>> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    #[inline]
    fn peek_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Token::Name(n)) if *n == name)
    }

    /// Operators are one or two bytes: compared without a call.
    #[inline]
    fn peek_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Token::Op(o))
            if o.len() == op.len() && o.as_bytes()[0] == op.as_bytes()[0]
                && o.as_bytes()[o.len() - 1] == op.as_bytes()[op.len() - 1])
    }

    fn eat_name(&mut self, name: &str) -> bool {
        let hit = self.peek_name(name);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let hit = self.peek_op(op);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect_op(&mut self, op: &str) -> Result<(), Error> {
        if self.eat_op(op) {
            return Ok(());
        }
        Err(syntax(match self.peek() {
            Some(t) => format!("expected `{op}`, found {}", describe(t)),
            None => format!("expected `{op}`, but the expression ends"),
        }))
    }

    fn name(&mut self) -> Result<&'t str, Error> {
        match self.tokens.get(self.pos) {
            Some((Token::Name(n), _)) => {
                self.pos += 1;
                Ok(n)
            }
            Some((t, _)) => Err(syntax(format!("expected a name, found {}", describe(t)))),
            None => Err(syntax("expected a name, but the expression ends")),
        }
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        let start = self.depth;
        self.deeper()?;
        let out = f(self);
        self.depth = start;
        out
    }

    /// One level more in the tree: brackets, and every link of a chain (`x or y or z` is two
    /// levels), so that no tree is deeper than [`MAX_DEPTH`] and evaluating it cannot exhaust
    /// the stack. A chain resets the depth when it ends; an error ends the whole parse.
    fn deeper(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax(format!(
                "the expression nests more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(())
    }

    fn expression(&mut self) -> Result<Node, Error> {
        self.nested(|p| {
            let then = p.or()?;
            if !p.eat_name("if") {
                return Ok(then);
            }
            let condition = p.or()?;
            let otherwise = if p.eat_name("else") {
                Some(Box::new(p.expression()?))
            } else {
                None
            };
            Ok(Node::If {
                then: Box::new(then),
                condition: Box::new(condition),
                otherwise,
            })
        })
    }

    fn or(&mut self) -> Result<Node, Error> {
        let start = self.depth;
        let mut left = self.and()?;
        while self.eat_name("or") {
            self.deeper()?;
            left = Node::Or(Box::new(left), Box::new(self.and()?));
        }
        self.depth = start;
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, Error> {
        let start = self.depth;
        let mut left = self.not()?;
        while self.eat_name("and") {
            self.deeper()?;
            left = Node::And(Box::new(left), Box::new(self.not()?));
        }
        self.depth = start;
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, Error> {
        if self.eat_name("not") {
            return self.nested(|p| Ok(Node::Not(Box::new(p.not()?))));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Node, Error> {
        let start = self.depth;
        let mut left = self.sum()?;
        loop {
            let op = match self.peek() {
                Some(Token::Op("==")) => Compare::Eq,
                Some(Token::Op("!=")) => Compare::Ne,
                Some(Token::Op("<")) => Compare::Lt,
                Some(Token::Op("<=")) => Compare::Le,
                Some(Token::Op(">")) => Compare::Gt,
                Some(Token::Op(">=")) => Compare::Ge,
                Some(Token::Name("in")) => {
                    self.pos += 1;
                    self.deeper()?;
                    left = Node::In {
                        negated: false,
                        value: Box::new(left),
                        container: Box::new(self.sum()?),
                    };
                    continue;
                }
                Some(Token::Name("not"))
                    if matches!(self.tokens.get(self.pos + 1), Some((Token::Name("in"), _))) =>
                {
                    self.pos += 2;
                    self.deeper()?;
                    left = Node::In {
                        negated: true,
                        value: Box::new(left),
                        container: Box::new(self.sum()?),
                    };
                    continue;
                }
                _ => {
                    self.depth = start;
                    return Ok(left);
                }
            };
            self.pos += 1;
            self.deeper()?;
            left = Node::Compare(op, Box::new(left), Box::new(self.sum()?));
        }
    }

    fn sum(&mut self) -> Result<Node, Error> {
        let start = self.depth;
        let mut left = self.product()?;
        loop {
            let op = if self.eat_op("+") {
                Math::Add
            } else if self.eat_op("-") {
                Math::Sub
            } else {
                self.depth = start;
                return Ok(left);
            };
            self.deeper()?;
            left = Node::Math(op, Box::new(left), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Node, Error> {
        let start = self.depth;
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Op("*")) => Math::Mul,
                Some(Token::Op("/")) => Math::Div,
                Some(Token::Op(op @ ("//" | "%" | "**" | "~"))) => {
                    return Err(syntax(format!("`{op}` is not available in rules")));
                }
                _ => {
                    self.depth = start;
                    return Ok(left);
                }
            };
            self.pos += 1;
            self.deeper()?;
            left = Node::Math(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Node, Error> {
        if self.eat_op("-") {
            return self.nested(|p| Ok(Node::Neg(Box::new(p.unary()?))));
        }
        let primary = self.primary()?;
        let value = self.postfix(primary)?;
        self.filters(value)
    }

    fn postfix(&mut self, mut node: Node) -> Result<Node, Error> {
        let start = self.depth;
        loop {
            if self.eat_op(".") {
                self.deeper()?;
                node = Node::Attr(Box::new(node), self.name()?.to_string());
            } else if self.eat_op("[") {
                self.deeper()?;
                let index = self.expression()?;
                self.expect_op("]")?;
                node = Node::Item(Box::new(node), Box::new(index));
            } else if self.peek_op("(") {
                return Err(syntax(
                    "only `share`, `pick` and `unknown_count` can be called",
                ));
            } else {
                self.depth = start;
                return Ok(node);
            }
        }
    }

    fn unknown_filter(&self, name: &str) -> String {
        if self.filters.is_empty() {
            return format!(
                "unknown filter `{name}`; rules know length, list, select, min and max"
            );
        }
        let own: Vec<&str> = self.filters.iter().map(|(f, _)| *f).collect();
        format!(
            "unknown filter `{name}`; sentences know length, list, select, min, max, {}",
            own.join(", ")
        )
    }

    fn filters(&mut self, mut node: Node) -> Result<Node, Error> {
        let start = self.depth;
        loop {
            if self.peek_op("|") || self.peek_name("is") {
                self.deeper()?;
            }
            if self.eat_op("|") {
                let name = self.name()?;
                let filter = match name {
                    "length" | "count" => Filter::Length,
                    "list" => Filter::List,
                    "select" => Filter::Select,
                    "min" => Filter::Min,
                    "max" => Filter::Max,
                    _ => {
                        let Some((_, filter)) = self.filters.iter().find(|(f, _)| *f == name)
                        else {
                            return Err(syntax(self.unknown_filter(name)));
                        };
                        let args = if self.eat_op("(") {
                            self.items(")")?
                        } else {
                            Vec::new()
                        };
                        node = Node::Custom {
                            filter: *filter,
                            value: Box::new(node),
                            args,
                        };
                        continue;
                    }
                };
                if self.peek_op("(") {
                    return Err(syntax(format!(
                        "the filter `{name}` takes no arguments in rules"
                    )));
                }
                node = Node::Filter(filter, Box::new(node));
            } else if self.eat_name("is") {
                let negated = self.eat_name("not");
                let name = self.name()?;
                let test = match name {
                    "none" | "None" => Test::None,
                    "number" => Test::Number,
                    "string" => Test::String,
                    "defined" => Test::Defined,
                    "undefined" => Test::Undefined,
                    _ => {
                        return Err(syntax(format!(
                            "unknown test `{name}`; rules know none, number, string, defined and undefined"
                        )));
                    }
                };
                node = Node::Test {
                    negated,
                    test,
                    value: Box::new(node),
                };
            } else {
                self.depth = start;
                return Ok(node);
            }
        }
    }

    fn primary(&mut self) -> Result<Node, Error> {
        let Some((token, _)) = self.tokens.get(self.pos) else {
            return Err(syntax("the expression ends where a value is expected"));
        };
        self.pos += 1;
        Ok(match token {
            Token::Int(n) => Node::Const(Value::from(*n)),
            Token::Float(x) => Node::Const(Value::from(*x)),
            Token::Str(s) => Node::Const(Value::from(s.as_str())),
            Token::Name(n) => match *n {
                "true" | "True" => Node::Const(Value::from(true)),
                "false" | "False" => Node::Const(Value::from(false)),
                "none" | "None" => Node::Const(Value::from(())),
                _ if self.peek_op("(") => {
                    let Some((_, function)) = self.functions.iter().find(|(f, _)| f == n).copied()
                    else {
                        return Err(syntax(format!("unknown function `{n}`")));
                    };
                    self.pos += 1;
                    let args = self.items(")")?;
                    Node::Call(function, args)
                }
                _ => Node::Var(n.to_string()),
            },
            Token::Op("(") => {
                let inner = self.expression()?;
                if self.peek_op(",") {
                    return Err(syntax("tuples are not available in rules; use a list"));
                }
                self.expect_op(")")?;
                inner
            }
            Token::Op("[") => constant_list(self.items("]")?),
            Token::Op("{") => {
                let mut pairs = Vec::new();
                self.nested(|p| {
                    while !p.eat_op("}") {
                        let key = p.expression()?;
                        p.expect_op(":")?;
                        pairs.push((key, p.expression()?));
                        if !p.eat_op(",") {
                            p.expect_op("}")?;
                            break;
                        }
                    }
                    Ok(())
                })?;
                constant_map(pairs)
            }
            t => return Err(syntax(format!("unexpected {}", describe(t)))),
        })
    }

    /// Comma-separated expressions up to `close` (a trailing comma is allowed).
    fn items(&mut self, close: &str) -> Result<Vec<Node>, Error> {
        self.nested(|p| {
            let mut items = Vec::new();
            while !p.eat_op(close) {
                items.push(p.expression()?);
                if !p.eat_op(",") {
                    p.expect_op(close)?;
                    break;
                }
            }
            Ok(items)
        })
    }
}

/// A list of constants is made once, when the rule is parsed.
fn constant_list(items: Vec<Node>) -> Node {
    if items.iter().all(|i| matches!(i, Node::Const(_))) {
        let values = items
            .into_iter()
            .map(|i| match i {
                Node::Const(v) => v,
                _ => unreachable!("checked above"),
            })
            .collect::<Vec<_>>();
        return Node::Const(Value::from(values));
    }
    Node::List(items)
}

fn constant_map(pairs: Vec<(Node, Node)>) -> Node {
    if pairs
        .iter()
        .all(|(k, v)| matches!((k, v), (Node::Const(_), Node::Const(_))))
    {
        let map = pairs
            .into_iter()
            .map(|pair| match pair {
                (Node::Const(k), Node::Const(v)) => (k, v),
                _ => unreachable!("checked above"),
            })
            .collect::<BTreeMap<Value, Value>>();
        return Node::Const(Value::from(map));
    }
    Node::Map(pairs)
}

// -------------------------------------------------------------------------------------------
// Evaluation

fn undefined_error(what: &str) -> Error {
    Error::failed(format!("{what} is undefined"))
}

/// Truth as in templates; an undefined value is an error, as in strict templates.
fn truth(value: &Value) -> Result<bool, Error> {
    if value.is_undefined() {
        return Err(undefined_error("a value tested for truth"));
    }
    Ok(value.is_true())
}

fn defined(value: Value, what: &str) -> Result<Value, Error> {
    if value.is_undefined() {
        Err(undefined_error(what))
    } else {
        Ok(value)
    }
}

/// The variables an expression sees: its own (`item`, a sentence's `set`) before the context's.
struct Scope<'s> {
    ctx: &'s Value,
    locals: &'s [(&'s str, Value)],
}

fn eval(node: &Node, ctx: &Scope<'_>) -> Result<Value, Error> {
    Ok(match node {
        Node::Const(v) => v.clone(),
        Node::Var(name) => {
            let v = match ctx.locals.iter().rev().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone(),
                None => ctx.ctx.get_attr(name).unwrap_or_default(),
            };
            if v.is_undefined() {
                return Err(Error::failed(format!("`{name}` is undefined")));
            }
            v
        }
        Node::Attr(base, name) => {
            let base = defined(eval(base, ctx)?, "the value before `.`")?;
            base.get_attr(name)
                .map_err(|e| Error::failed(format!("cannot read `.{name}`: {e}")))?
        }
        Node::Item(base, index) => {
            let base = defined(eval(base, ctx)?, "the value before `[`")?;
            let index = eval(index, ctx)?;
            base.get_item(&index)
                .map_err(|e| Error::failed(format!("cannot read `[{index}]`: {e}")))?
        }
        Node::List(items) => Value::from(
            items
                .iter()
                .map(|i| eval(i, ctx))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Node::Map(pairs) => Value::from(
            pairs
                .iter()
                .map(|(k, v)| Ok((eval(k, ctx)?, eval(v, ctx)?)))
                .collect::<Result<BTreeMap<Value, Value>, Error>>()?,
        ),
        Node::Not(inner) => Value::from(!truth(&eval(inner, ctx)?)?),
        Node::Neg(inner) => negate(&eval(inner, ctx)?)?,
        Node::And(left, right) => {
            let left = eval(left, ctx)?;
            if truth(&left)? {
                eval(right, ctx)?
            } else {
                left
            }
        }
        Node::Or(left, right) => {
            let left = eval(left, ctx)?;
            if truth(&left)? {
                left
            } else {
                eval(right, ctx)?
            }
        }
        Node::Compare(op, left, right) => {
            let a = defined(eval(left, ctx)?, "a compared value")?;
            let b = defined(eval(right, ctx)?, "a compared value")?;
            Value::from(match op {
                Compare::Eq => a == b,
                Compare::Ne => a != b,
                Compare::Lt => a < b,
                Compare::Le => a <= b,
                Compare::Gt => a > b,
                Compare::Ge => a >= b,
            })
        }
        Node::In {
            negated,
            value,
            container,
        } => {
            let value = defined(eval(value, ctx)?, "the value before `in`")?;
            let container = defined(eval(container, ctx)?, "the value after `in`")?;
            Value::from(contains(&container, &value)? != *negated)
        }
        Node::Math(op, left, right) => math(*op, &eval(left, ctx)?, &eval(right, ctx)?)?,
        Node::If {
            then,
            condition,
            otherwise,
        } => {
            if truth(&eval(condition, ctx)?)? {
                eval(then, ctx)?
            } else {
                match otherwise {
                    Some(e) => eval(e, ctx)?,
                    None => Value::UNDEFINED,
                }
            }
        }
        Node::Filter(filter, inner) => apply(*filter, eval(inner, ctx)?)?,
        Node::Test {
            negated,
            test,
            value,
        } => {
            let v = eval(value, ctx)?;
            let holds = match test {
                Test::None => v.is_none(),
                Test::Number => v.is_number(),
                Test::String => v.kind() == ValueKind::String,
                Test::Defined => !v.is_undefined(),
                Test::Undefined => v.is_undefined(),
            };
            Value::from(holds != *negated)
        }
        Node::Call(function, args) => {
            let args = args
                .iter()
                .map(|a| eval(a, ctx))
                .collect::<Result<Vec<_>, _>>()?;
            function(&args)?
        }
        Node::Custom {
            filter,
            value,
            args,
        } => {
            let value = eval(value, ctx)?;
            let args = args
                .iter()
                .map(|a| eval(a, ctx))
                .collect::<Result<Vec<_>, _>>()?;
            filter(&value, &args, ctx.ctx)?
        }
    })
}

/// `value in container`, as templates test it: a substring, a key of a table, an element
/// of a list.
fn contains(container: &Value, value: &Value) -> Result<bool, Error> {
    if let Some(s) = container.as_str() {
        return Ok(match value.as_str() {
            Some(v) => s.contains(v),
            None => s.contains(&value.to_string()),
        });
    }
    let Some(object) = container.as_object() else {
        return Err(Error::failed(format!(
            "cannot look for a value in `{container}`"
        )));
    };
    Ok(match object.repr() {
        ObjectRepr::Map => object.get_value(value).is_some(),
        ObjectRepr::Seq | ObjectRepr::Iterable => match object.try_iter() {
            Some(mut items) => items.any(|item| item == *value),
            None => false,
        },
        _ => false,
    })
}

/// A number as arithmetic sees it: integers stay integers, booleans count as 0 and 1.
#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn number(value: &Value) -> Option<Num> {
    match value.kind() {
        ValueKind::Bool => Some(Num::Int(i64::from(value.is_true()))),
        ValueKind::Number if value.is_integer() => i64::try_from(value.clone())
            .ok()
            .map(Num::Int)
            .or_else(|| f64::try_from(value.clone()).ok().map(Num::Float)),
        ValueKind::Number => f64::try_from(value.clone()).ok().map(Num::Float),
        _ => None,
    }
}

fn as_float(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Float(x) => x,
    }
}

fn math(op: Math, a: &Value, b: &Value) -> Result<Value, Error> {
    let sign = match op {
        Math::Add => "+",
        Math::Sub => "-",
        Math::Mul => "*",
        Math::Div => "/",
    };
    let (Some(x), Some(y)) = (number(a), number(b)) else {
        return Err(Error::failed(format!(
            "`{sign}` needs two numbers, not `{a}` and `{b}`"
        )));
    };
    let too_large = || Error::failed(format!("the result of `{a} {sign} {b}` is too large"));
    Ok(match (op, x, y) {
        (Math::Div, _, _) => {
            let divisor = as_float(y);
            if divisor == 0.0 {
                return Err(Error::failed(format!("`{a} / {b}` divides by zero")));
            }
            Value::from(as_float(x) / divisor)
        }
        (Math::Add, Num::Int(i), Num::Int(j)) => {
            Value::from(i.checked_add(j).ok_or_else(too_large)?)
        }
        (Math::Sub, Num::Int(i), Num::Int(j)) => {
            Value::from(i.checked_sub(j).ok_or_else(too_large)?)
        }
        (Math::Mul, Num::Int(i), Num::Int(j)) => {
            Value::from(i.checked_mul(j).ok_or_else(too_large)?)
        }
        (Math::Add, x, y) => Value::from(as_float(x) + as_float(y)),
        (Math::Sub, x, y) => Value::from(as_float(x) - as_float(y)),
        (Math::Mul, x, y) => Value::from(as_float(x) * as_float(y)),
    })
}

fn negate(value: &Value) -> Result<Value, Error> {
    match number(value) {
        Some(Num::Int(i)) if value.kind() == ValueKind::Number => {
            Ok(Value::from(i.checked_neg().ok_or_else(|| {
                Error::failed(format!("cannot negate {value}"))
            })?))
        }
        Some(Num::Float(x)) => Ok(Value::from(-x)),
        _ => Err(Error::failed(format!("`-` needs a number, not `{value}`"))),
    }
}

fn items(value: &Value, filter: &str) -> Result<Vec<Value>, Error> {
    if value.is_undefined() {
        return Err(undefined_error(&format!("the value given to `{filter}`")));
    }
    value
        .try_iter()
        .map(|i| i.collect())
        .map_err(|_| Error::failed(format!("`{filter}` needs a list, not `{value}`")))
}

fn apply(filter: Filter, value: Value) -> Result<Value, Error> {
    Ok(match filter {
        Filter::Length => match value.len() {
            Some(n) if !value.is_undefined() => Value::from(n),
            _ => {
                return Err(Error::failed(format!(
                    "`length` needs a list or text, not `{value}`"
                )));
            }
        },
        Filter::List => Value::from(items(&value, "list")?),
        Filter::Select => {
            let mut kept = Vec::new();
            for item in items(&value, "select")? {
                if truth(&item)? {
                    kept.push(item);
                }
            }
            Value::from(kept)
        }
        Filter::Min | Filter::Max => {
            let wanted = if filter == Filter::Min {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            };
            // Like the template filter: the first of equal items, and text compared without
            // regard to case.
            let mut best: Option<Value> = None;
            for item in items(&value, if filter == Filter::Min { "min" } else { "max" })? {
                let better = match &best {
                    None => true,
                    Some(b) => order(&item, b) == wanted,
                };
                if better {
                    best = Some(item);
                }
            }
            best.unwrap_or(Value::UNDEFINED)
        }
    })
}

fn order(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Value {
        Value::from(minijinja::value::Serde(serde_json::json!({
            "a": {"devices": ["computer", "phone"], "participants": 12, "wishes": [], "low": "low"},
            "f": {"max_minutes": 40, "price": 2.5, "dial_in": "yes", "e2ee": null,
                  "features": {"chat": "yes", "polls": null}},
            "item": "chat",
        })))
    }

    fn run(text: &str) -> Result<Value, Error> {
        Expr::parse(text, &[])?.eval(&ctx())
    }

    #[test]
    fn operators_mean_what_they_mean_in_templates() {
        let env = minijinja::Environment::new();
        for text in [
            "'computer' in a.devices and a.participants > 10",
            "'tablet' not in a.devices or f.max_minutes >= 40",
            "not a.wishes",
            "f.e2ee is none and f.dial_in is not none",
            "f.features[item] == 'yes'",
            "f.features.polls is none",
            "a.devices|length == 2",
            "10 * ([f.dial_in == 'yes', f.e2ee == 'yes', true] | select | list | length) / 3",
            "[10 if 'phone' in a.devices else 0, f.max_minutes / 8, 7.5]|min",
            "[3, 1, 2]|max",
            "f.price * 2 - 1 + -3",
            "1 == 1.0",
            "'a' < 'b'",
            "f.max_minutes if f.max_minutes else 0",
            "a.low or 'x'",
            "a.wishes and 'x'",
            "{'yes': 10, 'no': 0}[f.dial_in]",
            "f.max_minutes is number and f.price is number",
            "'o' in 'phone'",
            "'chat' in f.features",
            "[a.participants, 1] | max",
            "(1 + 2) * 3",
        ] {
            let ours = run(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let theirs = env.compile_expression(text).unwrap().eval(ctx()).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn undefined_values_fail_where_strict_templates_fail() {
        assert!(run("a.nothing == 1").is_err());
        assert!(run("a.nothing.deeper").is_err());
        assert!(run("not a.nothing").is_err());
        assert!(run("nobody").is_err());
        assert_eq!(run("a.nothing is none").unwrap(), Value::from(false));
        assert_eq!(run("a.nothing is defined").unwrap(), Value::from(false));
        assert!(run("1 / 0").is_err());
        assert!(run("'a' * 3").is_err());
    }

    #[test]
    fn syntax_errors_are_told_in_words() {
        for (text, words) in [
            ("a.participants >", "ends"),
            ("a.x ** 2", "not available"),
            ("a.devices|sort", "unknown filter"),
            ("range(10)", "unknown function"),
            ("'open", "not closed"),
            ("a.x $ 1", "unexpected character"),
            ("(1, 2)", "tuples"),
            ("1 2", "after the end"),
        ] {
            let e = Expr::parse(text, &[]).unwrap_err();
            assert!(e.syntax, "{text}");
            assert!(e.message.contains(words), "{text}: {}", e.message);
        }
        let fine = format!("{}1{}", "(".repeat(30), ")".repeat(30));
        assert!(Expr::parse(&fine, &[]).is_ok());
        // Depth is nesting, not length: many short conditions side by side are fine.
        let wide = format!(
            "[{}]",
            vec!["f.a.b[1] is none and a.x|length > 1"; 60].join(", ")
        );
        assert!(Expr::parse(&wide, &[]).is_ok());
        assert!(
            Expr::parse("a.x == 'ä' $ 1", &[])
                .unwrap_err()
                .message
                .ends_with("(near character 12)")
        );
        assert!(
            Expr::parse("a.x and", &[])
                .unwrap_err()
                .message
                .ends_with("(near character 8)")
        );
        let deep = format!("{}1{}", "(".repeat(200), ")".repeat(200));
        assert!(
            Expr::parse(&deep, &[])
                .unwrap_err()
                .message
                .contains("nests")
        );
        let not = format!("{}1", "not ".repeat(200));
        assert!(Expr::parse(&not, &[]).is_err());
        let neg = format!("{}1", "-".repeat(200));
        assert!(Expr::parse(&neg, &[]).is_err());
        // Long chains are deep trees too: refused, not a stack overflow when evaluated.
        for link in [
            " or a.x", " and a.x", " + 1", " * 1", " == 1", ".x", "|length", " is none",
        ] {
            let long = format!("a.x{}", link.repeat(100_000));
            assert!(
                Expr::parse(&long, &[])
                    .unwrap_err()
                    .message
                    .contains("nests"),
                "{link}"
            );
        }
    }
}
