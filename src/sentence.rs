//! The sentences of criteria (`reason`, `ask`, `because`): text with `{{ value }}`,
//! `{% if %}`, `{% elif %}`, `{% else %}`, `{% endif %}` and `{% set name = value %}`, written
//! and meaning as in minijinja templates; the values are expressions of the rule language
//! (`src/expr.rs`) with the filters of sentences. Parsed once, when the criteria are compiled,
//! so a report renders a sentence without a template engine, and what a sentence reads is
//! known from its tree. There are no loops: a sentence's work is bounded by its length.

use minijinja::value::Value;

use crate::expr::{self, Expr, FilterFn, Function};

/// How deeply `{% if %}` blocks may nest.
const MAX_NESTING: usize = 64;

/// A parsed sentence.
#[derive(Debug, Clone)]
pub struct Sentence {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Value(Expr),
    If {
        branches: Vec<(Expr, Vec<Part>)>,
        otherwise: Vec<Part>,
    },
    Set(String, Expr),
}

/// What ends a run of parts.
#[derive(Debug)]
enum End {
    Text,
    Elif(Expr),
    Else,
    Endif,
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    /// Whitespace before the next text is dropped (`-}}`, `-%}`).
    trim_next: bool,
    functions: &'t [(&'static str, Function)],
    filters: &'t [(&'static str, FilterFn)],
}

impl Sentence {
    /// Parses `text`; its values may call `functions` and use `filters` besides the rules'
    /// own. A syntax error says near which character of the sentence it is.
    pub fn parse(
        text: &str,
        functions: &[(&'static str, Function)],
        filters: &[(&'static str, FilterFn)],
    ) -> Result<Sentence, expr::Error> {
        // Like templates, a sentence drops one final line break.
        let text = text
            .strip_suffix('\n')
            .map_or(text, |t| t.strip_suffix('\r').unwrap_or(t));
        let mut parser = Parser {
            text,
            pos: 0,
            trim_next: false,
            functions,
            filters,
        };
        let (parts, end) = parser.parts(0)?;
        match end {
            End::Text => Ok(Sentence { parts }),
            End::Elif(_) | End::Else | End::Endif => Err(expr::Error::syntax_at(
                text,
                "`elif`, `else` or `endif` without `{% if %}`",
                parser.pos,
            )),
        }
    }

    /// The sentence with the values of `ctx` and `locals` (which come first).
    pub fn render(&self, ctx: &Value, locals: &[(&str, Value)]) -> Result<String, expr::Error> {
        let mut out = String::new();
        let mut scope: Vec<(&str, Value)> = locals.to_vec();
        render(&self.parts, ctx, &mut scope, &mut out)?;
        Ok(out)
    }

    /// The text of a sentence without values, if it is one.
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [] => Some(""),
            [Part::Text(t)] => Some(t),
            _ => None,
        }
    }

    /// Every expression in the sentence, in the order of the text.
    pub fn exprs(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        exprs(&self.parts, &mut out);
        out
    }
}

fn exprs<'s>(parts: &'s [Part], out: &mut Vec<&'s Expr>) {
    for part in parts {
        match part {
            Part::Text(_) => {}
            Part::Value(e) | Part::Set(_, e) => out.push(e),
            Part::If {
                branches,
                otherwise,
            } => {
                for (condition, parts) in branches {
                    out.push(condition);
                    exprs(parts, out);
                }
                exprs(otherwise, out);
            }
        }
    }
}

fn render<'s>(
    parts: &'s [Part],
    ctx: &Value,
    scope: &mut Vec<(&'s str, Value)>,
    out: &mut String,
) -> Result<(), expr::Error> {
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(t),
            Part::Value(e) => {
                let value = e.eval_with(ctx, scope)?;
                if value.is_undefined() {
                    return Err(expr::Error::failed("a value in the sentence is undefined"));
                }
                match value.as_str() {
                    Some(s) => out.push_str(s),
                    None => out.push_str(&value.to_string()),
                }
            }
            Part::Set(name, e) => {
                let value = e.eval_with(ctx, scope)?;
                scope.push((name, value));
            }
            Part::If {
                branches,
                otherwise,
            } => {
                let mut chosen = otherwise;
                for (condition, parts) in branches {
                    let value = condition.eval_with(ctx, scope)?;
                    if value.is_undefined() {
                        return Err(expr::Error::failed(
                            "the condition of an `{% if %}` is undefined",
                        ));
                    }
                    if value.is_true() {
                        chosen = parts;
                        break;
                    }
                }
                render(chosen, ctx, scope, out)?;
            }
        }
    }
    Ok(())
}

/// Where the next `{{`, `{%` or `{#` begins.
fn next_tag(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|b| *b == b'{') {
        let at = from + i;
        if matches!(bytes.get(at + 1), Some(b'{' | b'%' | b'#')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

impl<'t> Parser<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    /// Past the whitespace at the current place.
    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// Parts up to the end of the text or the next `elif`, `else` or `endif` (which is
    /// returned).
    fn parts(&mut self, depth: usize) -> Result<(Vec<Part>, End), expr::Error> {
        if depth > MAX_NESTING {
            return Err(expr::Error::syntax_at(
                self.text,
                format!("`{{% if %}}` blocks nest more than {MAX_NESTING} levels deep"),
                self.pos,
            ));
        }
        let mut parts = Vec::new();
        loop {
            let next = next_tag(self.rest());
            let until = next.map_or(self.text.len(), |n| self.pos + n);
            let mut text = &self.text[self.pos..until];
            if std::mem::take(&mut self.trim_next) {
                text = text.trim_start();
            }
            // `{{-` and `{%-` drop the whitespace before them.
            if self.text[until..].get(2..3) == Some("-") {
                text = text.trim_end();
            }
            if !text.is_empty() {
                parts.push(Part::Text(text.to_string()));
            }
            self.pos = until;
            if next.is_none() {
                return Ok((parts, End::Text));
            }
            let open = self.pos;
            let marker = &self.text[open..open + 2];
            self.pos += 2;
            if self.rest().starts_with('-') {
                self.pos += 1;
            }
            match marker {
                "{#" => {
                    let Some(end) = self.rest().find("#}") else {
                        return Err(expr::Error::syntax_at(
                            self.text,
                            "a comment `{#` is not closed",
                            open,
                        ));
                    };
                    self.trim_next = self.rest()[..end].ends_with('-');
                    self.pos += end + 2;
                }
                "{{" => {
                    let value = self.expression(&["-}}", "}}"])?;
                    parts.push(Part::Value(value));
                }
                _ => match self.tag(open, depth)? {
                    Tag::Part(part) => parts.push(part),
                    Tag::End(end) => return Ok((parts, end)),
                },
            }
        }
    }

    /// An expression up to one of `stops`, and past it.
    fn expression(&mut self, stops: &[&str]) -> Result<Expr, expr::Error> {
        let (value, end) =
            Expr::parse_part(self.text, self.pos, stops, self.functions, self.filters)?;
        self.close(end);
        Ok(value)
    }

    /// Past the `}}` or `%}` at `end`, noting a `-` before it.
    fn close(&mut self, end: usize) {
        self.pos = end;
        if self.rest().starts_with('-') {
            self.trim_next = true;
            self.pos += 1;
        }
        self.pos += 2;
    }

    /// The name after any whitespace (a tag's, a `set` variable's), and past it.
    fn word(&mut self) -> &'t str {
        self.skip_space();
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        self.pos += len;
        &self.text[start..self.pos]
    }

    /// The end of a tag without a value (`{% else %}`).
    fn bare_end(&mut self, tag: &str) -> Result<(), expr::Error> {
        self.skip_space();
        let at = self.pos;
        if self.rest().starts_with("%}") || self.rest().starts_with("-%}") {
            self.close(at);
            return Ok(());
        }
        Err(expr::Error::syntax_at(
            self.text,
            format!("`{{% {tag} %}}` takes nothing more"),
            at,
        ))
    }

    fn tag(&mut self, open: usize, depth: usize) -> Result<Tag, expr::Error> {
        let stops = &["-%}", "%}"];
        Ok(match self.word() {
            "if" => {
                let mut condition = Some(self.expression(stops)?);
                let mut branches = vec![];
                let mut otherwise = Vec::new();
                loop {
                    let (parts, end) = self.parts(depth + 1)?;
                    match (condition.take(), end) {
                        (Some(c), End::Elif(next)) => {
                            branches.push((c, parts));
                            condition = Some(next);
                        }
                        (Some(c), End::Else) => {
                            branches.push((c, parts));
                        }
                        (Some(c), End::Endif) => {
                            branches.push((c, parts));
                            break;
                        }
                        (None, End::Endif) => {
                            otherwise = parts;
                            break;
                        }
                        (None, End::Elif(_) | End::Else) => {
                            return Err(expr::Error::syntax_at(
                                self.text,
                                "`elif` or `else` after `else`",
                                self.pos,
                            ));
                        }
                        (_, End::Text) => {
                            return Err(expr::Error::syntax_at(
                                self.text,
                                "an `{% if %}` is not closed with `{% endif %}`",
                                open,
                            ));
                        }
                    }
                }
                Tag::Part(Part::If {
                    branches,
                    otherwise,
                })
            }
            "elif" => Tag::End(End::Elif(self.expression(stops)?)),
            "else" => {
                self.bare_end("else")?;
                Tag::End(End::Else)
            }
            "endif" => {
                self.bare_end("endif")?;
                Tag::End(End::Endif)
            }
            "set" => {
                let name = self.word();
                let after_name = self.pos;
                self.skip_space();
                if name.is_empty() || !self.rest().starts_with('=') {
                    return Err(expr::Error::syntax_at(
                        self.text,
                        "`{% set %}` is written `{% set name = value %}`",
                        after_name,
                    ));
                }
                self.pos += 1;
                Tag::Part(Part::Set(name.to_string(), self.expression(stops)?))
            }
            other => {
                return Err(expr::Error::syntax_at(
                    self.text,
                    format!("unknown tag `{other}`; sentences know if, elif, else, endif and set"),
                    open,
                ));
            }
        })
    }
}

enum Tag {
    Part(Part),
    End(End),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Value {
        Value::from(minijinja::value::Serde(serde_json::json!({
            "a": {"devices": ["computer"], "n": 3},
            "f": {"licence": null, "price": 2.5},
        })))
    }

    fn render(text: &str) -> Result<String, expr::Error> {
        Sentence::parse(text, &[], &[])?.render(&ctx(), &[("item", Value::from("chat"))])
    }

    #[test]
    fn sentences_render_as_templates_do() {
        assert_eq!(
            render("Nur Text, {ohne} Werte.").unwrap(),
            "Nur Text, {ohne} Werte."
        );
        assert_eq!(render("{{ a.n }} von {{ f.price }}").unwrap(), "3 von 2.5");
        assert_eq!(
            render("{% if f.licence %}x{% elif a.n > 2 %}{{ item }}{% else %}z{% endif %}!")
                .unwrap(),
            "chat!"
        );
        assert_eq!(
            render("{% set pc = 'computer' in a.devices %}{% if pc %}PC{% endif %}").unwrap(),
            "PC"
        );
        assert_eq!(render("{{ f.licence or 'frei' }}").unwrap(), "frei");
        assert_eq!(render("a {{- ' b ' -}} c{# Notiz #}.\n").unwrap(), "a b c.");
        assert_eq!(render("{% if false %}x{% endif %}").unwrap(), "");
    }

    #[test]
    fn broken_sentences_say_what_and_where() {
        let error = |text: &str| Sentence::parse(text, &[], &[]).unwrap_err().message;
        assert_eq!(
            error("Bis {{ f.max_minutes Minuten."),
            "unexpected `Minuten` after the end of the expression (near character 22)"
        );
        assert_eq!(error("Bis {{ f.x "), "`}}` is missing (near character 12)");
        assert!(error("{% if a %}x").contains("not closed with `{% endif %}`"));
        assert!(error("x{% endif %}").contains("without `{% if %}`"));
        assert!(error("{% for x in a %}{% endfor %}").contains("unknown tag `for`"));
        assert!(error("{{ f.x|minutes }}").starts_with("unknown filter `minutes`"));
        assert!(error("{# offen").contains("not closed"));
        let deep = "{% if a %}".repeat(100);
        assert!(error(&deep).contains("nest more than 64"));
    }

    #[test]
    fn what_a_sentence_reads_is_in_its_tree() {
        let s = Sentence::parse(
            "{% if f.a %}{{ o.name }}{% else %}{{ t.kind|length }}{% endif %}",
            &[],
            &[],
        )
        .unwrap();
        let vars: Vec<(&str, Vec<&str>)> = s
            .exprs()
            .iter()
            .flat_map(|e| e.uses())
            .map(|u| (u.var, u.path))
            .collect();
        assert_eq!(
            vars,
            [("f", vec!["a"]), ("o", vec!["name"]), ("t", vec!["kind"])]
        );
        assert!(s.as_plain().is_none());
        assert_eq!(
            Sentence::parse("Ab 9 a.m.", &[], &[]).unwrap().as_plain(),
            Some("Ab 9 a.m.")
        );
    }
}
