//! `why`: why a tool is where it is for a group, and what would change that.

use super::*;

pub(super) fn why(args: &WhyArgs) -> Result<ExitCode> {
    let (catalog, criteria) = load_data(&args.data)?;
    let tool = find_tool(&catalog, &args.tool)?;
    let known = KnownIds {
        tools: catalog.tools.keys().map(String::as_str).collect(),
        criteria: criteria.ids(),
    };
    let source = SourceText::read(&args.answers)?;
    let answers = answers::parse(
        &source,
        Format::from_path(&args.answers)?,
        &args.set,
        &known,
    )?;
    let lang = args.data.lang;
    let de = lang == Lang::De;
    let options = Options {
        lang,
        ..Options::default()
    };
    let env = rules::lazy_environment(&criteria);
    let compiled = rules::compile(&env, &criteria).map_err(Diagnostics)?;
    let report = evaluate::evaluate_compiled(&compiled, &catalog, &answers, &options)?;
    let mut out = String::new();
    let total = report.ranking.len();
    let goal;
    if let Some(r) = report.ranking.iter().find(|r| r.tool == tool.id) {
        writeln!(
            out,
            "{}",
            if de {
                format!(
                    "{} steht auf Platz {} von {total} mit {} Punkten (Angebot: {}).",
                    r.name,
                    r.rank,
                    format::score(r.score, lang),
                    r.offering_name
                )
            } else {
                format!(
                    "{} is ranked {} of {total} with {} points (offering: {}).",
                    r.name,
                    r.rank,
                    format::score(r.score, lang),
                    r.offering_name
                )
            }
        )?;
        let mut table = render::table::new_table(None);
        table.set_header(if de {
            ["Kriterium", "Bewertung", "Gewicht", "Beitrag", "Begründung"]
        } else {
            ["Criterion", "Score", "Weight", "Points", "Because"]
        });
        for c in &r.contributions {
            table.add_row(vec![
                c.title.clone(),
                format!(
                    "{}/{}{}",
                    format::number(c.score, lang),
                    format::number(c.scale, lang),
                    if c.unknown { " ?" } else { "" }
                ),
                format::number((c.weight * 100.0).round() / 100.0, lang),
                format!(
                    "{} / {}",
                    format::score(c.points, lang),
                    format::score(c.max_points, lang)
                ),
                c.because.clone(),
            ]);
        }
        writeln!(out, "{table}")?;
        if r.contributions.iter().any(|c| c.unknown) {
            writeln!(
                out,
                "{}",
                if de {
                    "? = beruht auf unbekannten Angaben"
                } else {
                    "? = rests on unknown facts"
                }
            )?;
        }
        for o in &r.other_offerings {
            match o.score {
                Some(s) => writeln!(
                    out,
                    "- {}: {} {}",
                    o.name,
                    format::score(s, lang),
                    if de { "Punkte" } else { "points" }
                )?,
                None => writeln!(out, "- {}: {}", o.name, o.reasons.join(" "))?,
            }
        }
        if !r.verify.is_empty() {
            writeln!(
                out,
                "{}",
                if de {
                    "Kommt vielleicht in Frage – vorher klären:"
                } else {
                    "May be an option – clarify first:"
                }
            )?;
            for question in &r.verify {
                writeln!(out, "- {question}")?;
            }
        }
        goal = match (r.status, r.rank) {
            (evaluate::Status::Verify, _) => analysis::Goal::Admit(&tool.id),
            (_, 1) => analysis::Goal::Dethrone(&tool.id),
            _ => analysis::Goal::Win(&tool.id),
        };
    } else {
        let e = report
            .excluded
            .iter()
            .find(|e| e.tool == tool.id)
            .expect("every tool is ranked or excluded");
        writeln!(
            out,
            "{}",
            if de {
                format!("{} kommt nicht in Frage:", e.name)
            } else {
                format!("{} is out:", e.name)
            }
        )?;
        for reason in &e.reasons {
            writeln!(out, "- {reason}")?;
        }
        goal = analysis::Goal::Admit(&tool.id);
    }
    writeln!(out)?;
    let found =
        analysis::search_answers(&compiled, &catalog, &answers, &options, &[goal])?.remove(0);
    let heading = match (goal, de) {
        (analysis::Goal::Dethrone(_), true) => "Was den ersten Platz kosten würde:",
        (analysis::Goal::Dethrone(_), false) => "What would cost the first place:",
        (analysis::Goal::Win(_), true) => "Was es auf Platz 1 bringen würde:",
        (analysis::Goal::Win(_), false) => "What would bring it to first place:",
        (analysis::Goal::Admit(_), true) => "Was es in Frage kommen ließe:",
        (analysis::Goal::Admit(_), false) => "What would admit it:",
    };
    writeln!(out, "{heading}")?;
    let mut any = false;
    for f in found.iter().take(4) {
        any = true;
        let sentence = match goal {
            analysis::Goal::Admit(_) => {
                let offering = f.offering.clone().unwrap_or_default();
                let maybe = f.status == Some(evaluate::Status::Verify);
                if de {
                    format!(
                        "mit „{}: {}“ statt „{}“ käme {} ({offering}) {}in Frage{}",
                        analysis::answer_label(&f.key, lang),
                        f.to,
                        f.from,
                        tool.name,
                        if maybe { "vielleicht " } else { "" },
                        if maybe { " – vorher klären" } else { "" }
                    )
                } else {
                    format!(
                        "with “{}: {}” instead of “{}”, {} ({offering}) {}",
                        analysis::answer_label(&f.key, lang),
                        f.to,
                        f.from,
                        tool.name,
                        if maybe {
                            "might be an option – clarify first"
                        } else {
                            "would be admitted"
                        }
                    )
                }
            }
            _ => analysis::change_sentence(f, lang),
        };
        let caution = match (f.price_unknown && f.key == "budget_eur_per_month", de) {
            (true, true) => {
                " (der Preis dieses Angebots ist nicht bekannt; fragen Sie beim Anbieter nach)"
            }
            (true, false) => " (this offering's price is not known; ask the provider)",
            (false, _) => "",
        };
        writeln!(out, "- {sentence}{caution}")?;
    }
    if !matches!(goal, analysis::Goal::Admit(_)) {
        for (i, w, winner) in analysis::search_weights(&report, goal).into_iter().take(3) {
            any = true;
            let c = &report.criteria[i];
            let (from, to) = (
                format::number((c.weight * 100.0).round() / 100.0, lang),
                format::number((w * 100.0).round() / 100.0, lang),
            );
            if de {
                writeln!(
                    out,
                    "- mit Gewicht {to} statt {from} für „{}“ läge {winner} vorn",
                    c.title
                )?;
            } else {
                writeln!(
                    out,
                    "- with weight {to} instead of {from} for “{}”, {winner} would come first",
                    c.title
                )?;
            }
        }
    }
    if !any {
        writeln!(
            out,
            "{}",
            if de {
                "- keine einzelne Änderung einer Antwort oder eines Gewichts reicht dafür aus"
            } else {
                "- no single change of one answer or weight is enough"
            }
        )?;
    }
    output::write_terminal(&out)?;
    Ok(ExitCode::SUCCESS)
}
