//! The safety rules every product obeys, built-in or added by an author.
//!
//! Each rule reports at the line and column of the offending value, so an author can jump
//! straight to it. The rules work on the parsed file (with spans); the wizard later relies on
//! them: a validated flow has no missing target, no dead end, and cannot reach `confirm`,
//! `contact` or `review` without passing a `debt` and a `verify` step.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use toml::Spanned;

use super::diagnostic::Diagnostic;
use super::schema::{ProductFile, StepFile, StepKind};
use super::text::{Text, product_text_problem};
use crate::steps::{self, Report, Safety};

/// Checks one parsed product file. `source` is its text, for line and column numbers.
pub fn validate_product(path: &str, source: &str, file: &ProductFile) -> Vec<Diagnostic> {
    let mut v = Validator {
        path,
        source,
        out: Vec::new(),
    };
    v.product(file);
    v.out
}

struct Validator<'a> {
    path: &'a str,
    source: &'a str,
    out: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.out
            .push(Diagnostic::at(self.path, self.source, span, message));
    }

    fn product(&mut self, file: &ProductFile) {
        let info = &file.product;
        let id = info.id.get_ref();
        if !is_valid_id(id) {
            self.error(
                info.id.span(),
                format!("product id `{id}` must be lowercase letters, digits and `-`"),
            );
        }
        if info.hotline.trim().is_empty() {
            self.error(
                info.id.span(),
                "`product.hotline` must not be empty: it is the fallback on every end screen",
            );
        }
        if !is_valid_id(&info.platform.id) {
            self.error(
                info.id.span(),
                format!(
                    "platform id `{}` must be lowercase letters, digits and `-`",
                    info.platform.id
                ),
            );
        }
        let texts = [
            ("name", &info.name),
            ("provider", &info.provider),
            ("summary", &info.summary),
            ("platform.name", &info.platform.name),
        ];
        for (field, text) in texts {
            if text.is_blank() {
                self.error(
                    info.id.span(),
                    format!("`product.{field}` needs non-empty `zh` and `en`"),
                );
            }
            if let Some(problem) = product_text_problem(text) {
                self.error(info.id.span(), format!("`product.{field}`: {problem}"));
            }
        }
        if file.steps.is_empty() {
            self.error(info.id.span(), "the product has no `[[steps]]`");
            return;
        }
        let index = self.step_index(&file.steps);
        for step in &file.steps {
            self.step_fields(step);
        }
        let Some(graph) = self.graph(&file.steps, &index) else {
            return;
        };
        self.reachability(&file.steps, &graph);
        self.safety(&file.steps, &graph);
    }

    /// Step ids must be unique; returns id → position.
    fn step_index<'s>(&mut self, steps: &'s [Spanned<StepFile>]) -> HashMap<&'s str, usize> {
        let mut index = HashMap::new();
        for (i, step) in steps.iter().enumerate() {
            let step = step.get_ref();
            let id = step.id();
            if !is_valid_id(id) {
                self.error(
                    step.id.span(),
                    format!("step id `{id}` must be lowercase letters, digits and `-`"),
                );
            }
            if index.insert(id, i).is_some() {
                self.error(step.id.span(), format!("duplicate step id `{id}`"));
            }
        }
        index
    }

    fn step_fields(&mut self, spanned: &Spanned<StepFile>) {
        let step = spanned.get_ref();
        let kind = step.kind();
        let at = step.kind.span();
        let present = step.fields_present();
        let rules = steps::fields(kind);
        for field in rules.required {
            if !present.contains(field) {
                let article = if kind.name().starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                self.error(
                    at.clone(),
                    format!("{article} `{}` step needs `{field}`", kind.name()),
                );
            }
        }
        for field in &present {
            if !rules.allowed.contains(field) {
                self.error(
                    at.clone(),
                    format!("`{field}` is not used by a `{}` step", kind.name()),
                );
            }
        }
        for (field, text) in step_texts(step) {
            if text.is_blank() {
                self.error(
                    step.id.span(),
                    format!(
                        "step `{}`: `{field}` needs non-empty `zh` and `en`",
                        step.id()
                    ),
                );
            }
        }
        let agent = step.agent.iter().map(|t| ("agent".to_owned(), t));
        for (field, text) in step_texts(step).into_iter().chain(agent) {
            if let Some(problem) = product_text_problem(text) {
                self.error(
                    step.id.span(),
                    format!("step `{}`: `{field}`: {problem}", step.id()),
                );
            }
        }
        let path_source = (self.path, self.source);
        let out = &mut self.out;
        let mut error = |span: Range<usize>, message: String| {
            out.push(Diagnostic::at(path_source.0, path_source.1, span, message));
        };
        steps::check(step, &mut Report { error: &mut error });
    }

    /// Resolves every exit to a step position; `None` if a target is missing.
    fn graph(
        &mut self,
        steps: &[Spanned<StepFile>],
        index: &HashMap<&str, usize>,
    ) -> Option<Vec<Vec<usize>>> {
        let mut ok = true;
        let mut graph = Vec::with_capacity(steps.len());
        for (i, spanned) in steps.iter().enumerate() {
            let step = spanned.get_ref();
            let mut targets = Vec::new();
            let mut reported_dead_end = false;
            for exit in steps::file_exits(step) {
                match exit.target {
                    Some(name) => match index.get(name.get_ref().as_str()) {
                        Some(&t) => targets.push(t),
                        None => {
                            ok = false;
                            self.error(
                                name.span(),
                                format!("no step with id `{}` in this product", name.get_ref()),
                            );
                        }
                    },
                    None if i + 1 < steps.len() => targets.push(i + 1),
                    None if !reported_dead_end => {
                        ok = false;
                        reported_dead_end = true;
                        let fix = if step.kind() == StepKind::Status {
                            "give each of its options a `next`"
                        } else {
                            "give it a `next`"
                        };
                        self.error(
                            step.id.span(),
                            format!(
                                "dead end: step `{}` is the last one and is not an `outcome`; {fix}",
                                step.id()
                            ),
                        );
                    }
                    None => {}
                }
            }
            graph.push(targets);
        }
        ok.then_some(graph)
    }

    fn reachability(&mut self, steps: &[Spanned<StepFile>], graph: &[Vec<usize>]) {
        let reachable = reach(graph, [0]);
        for (i, step) in steps.iter().enumerate() {
            if !reachable[i] {
                let step = step.get_ref();
                self.error(
                    step.id.span(),
                    format!(
                        "step `{}` can never be reached from the first step",
                        step.id()
                    ),
                );
            }
        }
        // From every reachable step some outcome must still be reachable (no endless loop).
        let mut reverse = vec![Vec::new(); graph.len()];
        for (from, targets) in graph.iter().enumerate() {
            for &to in targets {
                reverse[to].push(from);
            }
        }
        let outcomes = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.get_ref().kind() == StepKind::Outcome)
            .map(|(i, _)| i);
        let ends = reach(&reverse, outcomes);
        for (i, step) in steps.iter().enumerate() {
            if reachable[i] && !ends[i] {
                let step = step.get_ref();
                self.error(
                    step.id.span(),
                    format!(
                        "dead end: no `outcome` step can be reached from `{}`",
                        step.id()
                    ),
                );
            }
        }
    }

    /// No path may reach `confirm`, `contact`, `review` (entering it records the submission)
    /// or `followup` without having passed `debt` and `verify`.
    fn safety(&mut self, steps: &[Spanned<StepFile>], graph: &[Vec<usize>]) {
        let n = steps.len();
        // State: (step, passed debt, passed verify), on arrival at the step.
        let mut seen = vec![[false; 4]; n];
        let mut queue = VecDeque::from([(0usize, false, false)]);
        seen[0][0] = true;
        let mut reported = vec![false; n];
        while let Some((i, debt, verify)) = queue.pop_front() {
            let step = steps[i].get_ref();
            let kind = step.kind();
            let role = steps::safety(kind);
            if role == Safety::Guarded && !(debt && verify) && !reported[i] {
                reported[i] = true;
                let missing = match (debt, verify) {
                    (false, false) => "a `debt` and a `verify` step",
                    (false, true) => "a `debt` step",
                    _ => "a `verify` step",
                };
                self.error(
                    step.kind.span(),
                    format!(
                        "unsafe flow: step `{}` ({}) can be reached without passing {missing}",
                        step.id(),
                        kind.name()
                    ),
                );
            }
            let debt = debt || role == Safety::DebtCheck;
            let verify = verify || role == Safety::IdentityCheck;
            let state = usize::from(debt) * 2 + usize::from(verify);
            for &t in &graph[i] {
                if !seen[t][state] {
                    seen[t][state] = true;
                    queue.push_back((t, debt, verify));
                }
            }
        }
    }
}

/// Positions reachable from `starts` along `graph`.
fn reach(graph: &[Vec<usize>], starts: impl IntoIterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; graph.len()];
    let mut stack: Vec<usize> = starts.into_iter().collect();
    for &s in &stack {
        seen[s] = true;
    }
    while let Some(i) = stack.pop() {
        for &t in &graph[i] {
            if !seen[t] {
                seen[t] = true;
                stack.push(t);
            }
        }
    }
    seen
}

/// Every text of a step, named by its field, for the "zh and en" rule.
fn step_texts(step: &StepFile) -> Vec<(String, &Text)> {
    let mut texts = vec![("title".to_owned(), &step.title)];
    let single = [
        ("body", &step.body),
        ("repay", &step.repay),
        ("say", &step.say),
    ];
    for (name, text) in single {
        if let Some(t) = text {
            texts.push((name.to_owned(), t));
        }
    }
    let lists = [
        ("items", step.items.as_deref().unwrap_or_default()),
        ("channels", step.channels.as_deref().unwrap_or_default()),
        ("prepare", step.prepare.as_deref().unwrap_or_default()),
    ];
    for (name, list) in lists {
        for (i, t) in list.iter().enumerate() {
            texts.push((format!("{name}[{}]", i + 1), t));
        }
    }
    for (i, o) in step.options.iter().flatten().enumerate() {
        texts.push((format!("options[{}].label", i + 1), &o.label));
    }
    for (i, f) in step.fields.iter().flatten().enumerate() {
        texts.push((format!("fields[{}].label", i + 1), &f.label));
        if let Some(h) = &f.hint {
            texts.push((format!("fields[{}].hint", i + 1), h));
        }
    }
    texts
}

/// Ids appear in file names, case files and the command line: keep them plain.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}
