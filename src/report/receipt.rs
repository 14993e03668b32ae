//! The receipt a customer keeps. Built once as data ([`Receipt`]) from the case, the content
//! and a language, then written as plain text, Markdown or a printable HTML page (A4).
//! Pure: the time it is made is passed in, like everywhere else.

use std::fmt::Write;

use chrono::NaiveDate;

use super::{describe, final_path, method_name, state_name, step_title};
use crate::content::{Content, Lang, Product, StepKind, UiStrings};
use crate::safe_text;
use crate::wizard::case::{AnswerValue, Case, CaseId, Event, Time};
use crate::wizard::money::format_cents;

/// How a receipt is written: `xiaohu export --format`, and the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Plain text, for the terminal or a text file.
    #[default]
    Txt,
    /// Markdown, for a ticket or a chat.
    Md,
    /// One self-contained HTML page that prints on A4.
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Html => "html",
        }
    }
}

/// Everything a receipt says, in one language, before it is given a format.
#[derive(Debug, Clone, PartialEq)]
pub struct Receipt {
    pub lang: Lang,
    pub case_id: CaseId,
    /// The product's name, or its id if the content no longer has it.
    pub product: String,
    /// The product's id: whose words (关闭 or 注销) the receipt's own strings take.
    pub product_id: String,
    pub provider: Option<String>,
    pub state: String,
    pub started: Time,
    pub updated: Time,
    pub hotline: Option<String>,
    /// The name of the verification method; the case holds nothing more (never a secret).
    pub verification: Option<String>,
    /// The ticket number the person noted at a contact step, if any.
    pub reference: Option<String>,
    /// Whose case, masked as a public screen shows it (张*明, 尾号 023): a receipt is left
    /// on counters and in bags.
    pub customer: Option<String>,
    /// The agents and the desks that worked the case, from its log, each once, in the order
    /// they first did. Both empty for a customer at home.
    pub agents: Vec<String>,
    pub desks: Vec<String>,
    /// When the closure was confirmed: the confirmation, contact or sent entry of the path
    /// that stands (the latest, if there were several).
    pub confirmed: Option<Confirmed>,
    pub review: Option<Expected>,
    /// Every amount checked, in the order the screen asked for them.
    pub amounts: Vec<Amount>,
    /// The steps on the path that stands (see `final_path`), each with what was done there.
    pub steps: Vec<StepDone>,
    /// What to check once it is closed: the items of the product's follow-up step. Empty
    /// for a case that is not closed: it has nothing to check yet.
    pub followup: Vec<String>,
    /// What to do next, one paragraph an entry: for a case that ended without being
    /// closed (refused, customer service), its end step's own words first; then the
    /// sentence for the state the case is in.
    pub next: Vec<String>,
    pub generated: Time,
}

/// When the person confirmed the request: a moment in the wizard (a `confirm` or `contact`
/// step), or the day a `sent` step says it went out, outside it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Confirmed {
    At(Time),
    Sent(NaiveDate),
}

/// The submission and the date a result is expected by.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub submitted: Time,
    /// The day a request sent before the case reached its review went out (a `sent` step):
    /// the receipt says that day, not when the wizard recorded it.
    pub sent: Option<NaiveDate>,
    pub date: NaiveDate,
    pub business_days: u32,
    /// False when a year the count crossed had no holiday table.
    pub from_tables: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    pub label: String,
    pub cents: i64,
}

/// One step of the path: its title, what was done there, and when (the last thing done
/// there, or the arrival if nothing was recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct StepDone {
    pub at: Time,
    pub title: String,
    pub done: Vec<Done>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    pub at: Time,
    pub text: String,
}

/// The receipt for `case` in `lang`, made at `now`, written as `format`.
pub fn receipt(case: &Case, content: &Content, lang: Lang, format: Format, now: Time) -> String {
    Receipt::new(case, content, lang, now).render_in(content, format)
}

/// One way of writing every time on a receipt: to the minute, with the offset.
pub fn time(t: &Time) -> String {
    t.format("%Y-%m-%d %H:%M %:z").to_string()
}

impl Receipt {
    pub fn new(case: &Case, content: &Content, lang: Lang, now: Time) -> Receipt {
        // The product's own words for the act (关闭 or 注销).
        let ui = content.ui_for(&case.product);
        let product = content.product(&case.product);
        let verification = case.answers.values().find_map(|a| match a.value {
            AnswerValue::Verified { method, simulated } => {
                let mut name = method_name(content, method, lang).to_owned();
                if simulated {
                    name.push_str(ui.demo_mark.get(lang).trim_end());
                }
                Some(name)
            }
            _ => None,
        });
        let reference = case.answers.values().find_map(|a| match &a.value {
            AnswerValue::Contacted { reference } => reference.clone(),
            _ => None,
        });
        let review = case.review().map(|r| Expected {
            submitted: r.submitted,
            sent: r.sent,
            date: r.expected,
            business_days: r.business_days,
            from_tables: r.from_tables,
        });
        let customer = case
            .customer
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .map(|c| crate::wizard::customer::masked(c, ui, lang));
        let staff = |of: fn(&crate::wizard::LogEntry) -> Option<&String>| {
            let mut names: Vec<String> = Vec::new();
            for name in case.log.iter().filter_map(of) {
                if !name.trim().is_empty() && !names.contains(name) {
                    names.push(name.clone());
                }
            }
            names
        };
        let confirmed = final_path(&case.log)
            .into_iter()
            .rev()
            .find_map(|e| match &e.event {
                Event::Confirmed { .. } | Event::Contacted { .. } => Some(Confirmed::At(e.at)),
                Event::Sent { date, .. } => Some(Confirmed::Sent(*date)),
                _ => None,
            });
        let closed = case.state == crate::wizard::CaseState::Closed;
        let followup = product
            .filter(|_| closed)
            .map(|p| {
                p.steps()
                    .iter()
                    .filter(|s| s.kind() == StepKind::Followup)
                    .filter_map(|s| s.checklist())
                    .flat_map(|c| &c.items)
                    .map(|t| t.get(lang).to_owned())
                    .collect()
            })
            .unwrap_or_default();
        Receipt {
            lang,
            case_id: case.id.clone(),
            product: product.map_or_else(|| case.product.clone(), |p| p.info.name.get(lang).into()),
            product_id: case.product.clone(),
            provider: product.map(|p| p.info.provider.get(lang).to_owned()),
            state: state_name(content, &case.product, case.state, lang).to_owned(),
            started: case.created,
            updated: case.updated,
            hotline: product.map(|p| p.info.hotline_text(&content.ui, lang)),
            verification,
            reference,
            customer,
            agents: staff(|e| e.agent.as_ref()),
            desks: staff(|e| e.desk.as_ref()),
            confirmed,
            review,
            amounts: amounts(case, product, lang),
            steps: steps_done(case, content, product, lang),
            followup,
            next: next_steps(case, product, ui, lang),
            generated: now,
        }
        .made_safe()
    }

    /// Every text of the receipt as one line safe to print: the case file and the content
    /// may hold escape sequences, bidi overrides or line breaks that would forge a line.
    fn made_safe(mut self) -> Receipt {
        let safe = |s: &mut String| {
            if let std::borrow::Cow::Owned(t) = safe_text::line(s) {
                *s = t;
            }
        };
        let Receipt {
            case_id,
            product,
            provider,
            state,
            hotline,
            verification,
            reference,
            customer,
            agents,
            desks,
            amounts,
            steps,
            followup,
            next,
            ..
        } = &mut self;
        // The case id needs nothing: only the characters ids are made of (`CaseId`).
        let _ = case_id;
        for s in [product, state] {
            safe(s);
        }
        next.iter_mut().for_each(safe);
        agents.iter_mut().chain(desks.iter_mut()).for_each(safe);
        for s in [provider, hotline, verification, reference, customer]
            .into_iter()
            .flatten()
        {
            safe(s);
        }
        amounts.iter_mut().for_each(|a| safe(&mut a.label));
        followup.iter_mut().for_each(safe);
        for step in steps {
            safe(&mut step.title);
            step.done.iter_mut().for_each(|d| safe(&mut d.text));
        }
        self
    }

    /// The receipt in `format`, in the product's own words (its title: 关闭回执 or 注销回执).
    pub fn render_in(&self, content: &Content, format: Format) -> String {
        self.render(content.ui_for(&self.product_id), format)
    }

    /// The receipt in `format`. The fields are safe already (`made_safe`); what the UI
    /// strings add, from a content file, is made safe here, keeping the layout's lines.
    pub fn render(&self, ui: &UiStrings, format: Format) -> String {
        let out = match format {
            Format::Txt => self.txt(ui),
            Format::Md => self.md(ui),
            Format::Html => self.html(ui),
        };
        match safe_text::block(&out) {
            std::borrow::Cow::Borrowed(_) => out,
            std::borrow::Cow::Owned(safe) => safe,
        }
    }

    /// The header: (label, value), in the order every format shows them.
    pub fn fields(&self, ui: &UiStrings) -> Vec<(String, String)> {
        let lang = self.lang;
        let mut out = Vec::new();
        let mut field = |label: &crate::content::Text, value: String| {
            out.push((label.get(lang).to_owned(), value));
        };
        field(&ui.receipt_product, self.product.clone());
        if let Some(p) = &self.provider {
            field(&ui.receipt_provider, p.clone());
        }
        field(&ui.receipt_case, self.case_id.to_string());
        if let Some(c) = &self.customer {
            field(&ui.receipt_customer, c.clone());
        }
        field(&ui.receipt_state, self.state.clone());
        field(&ui.receipt_started, time(&self.started));
        field(&ui.receipt_updated, time(&self.updated));
        let list = match lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        if !self.agents.is_empty() {
            field(&ui.receipt_agent, self.agents.join(list));
        }
        if !self.desks.is_empty() {
            field(&ui.receipt_desk, self.desks.join(list));
        }
        if let Some(v) = &self.verification {
            field(&ui.receipt_verification, v.clone());
        }
        match self.confirmed {
            Some(Confirmed::At(t)) => field(&ui.receipt_confirmed, time(&t)),
            // The review's "request sent on" says that day already.
            Some(Confirmed::Sent(day))
                if self.review.as_ref().is_none_or(|r| r.sent != Some(day)) =>
            {
                field(&ui.receipt_confirmed, day.format("%Y-%m-%d").to_string())
            }
            _ => {}
        }
        if let Some(r) = &self.reference {
            field(&ui.receipt_reference, r.clone());
        }
        if let Some(r) = &self.review {
            match r.sent {
                Some(day) => field(&ui.receipt_sent, day.format("%Y-%m-%d").to_string()),
                None => field(&ui.receipt_submitted, time(&r.submitted)),
            }
            field(&ui.receipt_expected, self.expected_text(ui, r));
        }
        if let Some(h) = &self.hotline {
            field(&ui.receipt_hotline, h.clone());
        }
        field(&ui.receipt_generated, time(&self.generated));
        out
    }

    /// `2026-10-10 (5 business days, …)`, or "usually at once" for a review of no days.
    fn expected_text(&self, ui: &UiStrings, r: &Expected) -> String {
        let lang = self.lang;
        let days = if r.business_days == 0 {
            ui.receipt_same_day.get(lang).to_owned()
        } else if r.from_tables {
            ui.receipt_business_days
                .fill(lang, &[("n", &r.business_days.to_string())])
        } else {
            ui.receipt_business_days_by_law
                .fill(lang, &[("n", &r.business_days.to_string())])
        };
        let mut text = format!("{}{}", r.date.format("%Y-%m-%d"), paren(lang, &days));
        if !r.from_tables {
            let year = r.date.format("%Y").to_string();
            let _ = write!(
                text,
                " {}",
                ui.review_no_table.fill(lang, &[("year", &year)])
            );
        }
        text
    }

    /// "All zero: nothing owed", when amounts were checked and every one is zero.
    fn zero_note<'a>(&self, ui: &'a UiStrings) -> Option<&'a str> {
        let all_zero = !self.amounts.is_empty() && self.amounts.iter().all(|a| a.cents == 0);
        all_zero.then(|| ui.receipt_amounts_zero.get(self.lang))
    }

    /// The time of a line of the steps list, in every format: the hour and minute, with
    /// the date when the case spans more than one day (a one-day case has its date in the
    /// header), and without the offset when it is the case's (the heading names it once).
    pub fn table_time(&self, t: &Time) -> String {
        let format = if self.spans_days() {
            "%Y-%m-%d %H:%M"
        } else {
            "%H:%M"
        };
        let mut text = t.format(format).to_string();
        if t.offset() != self.started.offset() {
            let _ = write!(text, " {}", t.format("%:z"));
        }
        text
    }

    /// Whether the steps were done on more than one day, on the case's own clock.
    fn spans_days(&self) -> bool {
        let offset = *self.started.offset();
        let day = |t: &Time| t.with_timezone(&offset).date_naive();
        let first = day(&self.started);
        self.steps
            .iter()
            .flat_map(|s| std::iter::once(&s.at).chain(s.done.iter().map(|d| &d.at)))
            .any(|t| day(t) != first)
    }

    /// "Time (UTC+08:00)": the heading of the time column, naming the case's offset.
    fn time_heading(&self, ui: &UiStrings) -> String {
        let offset = self.started.format("UTC%:z").to_string();
        ui.receipt_col_time.fill(self.lang, &[("offset", &offset)])
    }

    /// Whether the page has room for signatures and the branch's stamp: a case worked at a
    /// desk (an agent or a desk in its log). A customer's own receipt at home has no one to
    /// sign it with.
    pub fn signed_at_desk(&self) -> bool {
        !self.agents.is_empty() || !self.desks.is_empty()
    }

    fn colon(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "：",
            Lang::En => ": ",
        }
    }

    fn txt(&self, ui: &UiStrings) -> String {
        let lang = self.lang;
        let colon = self.colon();
        let heading = |t: &crate::content::Text| format!("{}{}", t.get(lang), colon.trim_end());
        let mut out = String::new();
        let _ = writeln!(out, "{}", ui.receipt_title.get(lang));
        let _ = writeln!(out, "{}", "=".repeat(40));
        for (label, value) in self.fields(ui) {
            let _ = writeln!(out, "{label}{colon}{value}");
        }

        let _ = writeln!(out, "\n{}", heading(&ui.receipt_amounts));
        for a in &self.amounts {
            let _ = writeln!(out, "  {}{colon}{}", a.label, format_cents(a.cents));
        }
        if self.amounts.is_empty() {
            let _ = writeln!(out, "  {}", ui.receipt_amounts_none.get(lang));
        }
        if let Some(note) = self.zero_note(ui) {
            let _ = writeln!(out, "  {note}");
        }

        // Every line that records something has its time; the heading names the offset.
        let _ = writeln!(
            out,
            "\n{}{}{}",
            ui.receipt_steps.get(lang),
            paren(lang, &self.started.format("UTC%:z").to_string()),
            colon.trim_end()
        );
        for step in &self.steps {
            let at = self.table_time(&step.at);
            let _ = writeln!(out, "  {at}  {}", step.title);
            let indent = " ".repeat(2 + 2);
            for d in &step.done {
                let _ = writeln!(out, "{indent}{}  {}", self.table_time(&d.at), d.text);
            }
        }

        if !self.followup.is_empty() {
            let _ = writeln!(out, "\n{}", heading(&ui.receipt_followup));
            for item in &self.followup {
                let _ = writeln!(out, "  [ ] {item}");
            }
        }
        let _ = writeln!(out, "\n{}", heading(&ui.receipt_next));
        for paragraph in &self.next {
            let _ = writeln!(out, "  {paragraph}");
        }
        if self.signed_at_desk() {
            self.txt_signatures(&mut out, ui);
        }
        let _ = writeln!(out, "\n{}", ui.not_the_bank.get(lang));
        out
    }

    /// Lines to sign on and a box for the stamp, for the printed page. The blanks are long
    /// enough for a name written by hand in either script.
    fn txt_signatures(&self, out: &mut String, ui: &UiStrings) {
        let lang = self.lang;
        let colon = self.colon();
        let _ = writeln!(out, "\n{}{}", ui.receipt_sign.get(lang), colon.trim_end());
        for who in [&ui.receipt_sign_customer, &ui.receipt_sign_agent] {
            let _ = writeln!(
                out,
                "\n  {}{colon}{}  {}{colon}{}",
                who.get(lang),
                "_".repeat(24),
                ui.receipt_sign_date.get(lang),
                "_".repeat(12),
            );
        }
        let _ = writeln!(
            out,
            "\n  {}{}",
            ui.receipt_sign_stamp.get(lang),
            colon.trim_end()
        );
        let edge = format!("  +{}+", "-".repeat(26));
        let _ = writeln!(out, "{edge}");
        for _ in 0..4 {
            let _ = writeln!(out, "  |{}|", " ".repeat(26));
        }
        let _ = writeln!(out, "{edge}");
    }

    fn md(&self, ui: &UiStrings) -> String {
        let lang = self.lang;
        let e = |s: &str| escape_md(s);
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", e(ui.receipt_title.get(lang)));
        for (label, value) in self.fields(ui) {
            let _ = writeln!(out, "- **{}**{}{}", e(&label), self.colon(), e(&value));
        }

        let _ = writeln!(out, "\n## {}\n", e(ui.receipt_amounts.get(lang)));
        for a in &self.amounts {
            let _ = writeln!(
                out,
                "- {}{}{}",
                e(&a.label),
                self.colon(),
                format_cents(a.cents)
            );
        }
        if self.amounts.is_empty() {
            let _ = writeln!(out, "- {}", e(ui.receipt_amounts_none.get(lang)));
        }
        if let Some(note) = self.zero_note(ui) {
            let _ = writeln!(out, "\n**{}**", e(note));
        }

        let _ = writeln!(out, "\n## {}\n", e(ui.receipt_steps.get(lang)));
        let _ = writeln!(
            out,
            "| {} | {} | {} |\n|---|---|---|",
            e(&self.time_heading(ui)),
            e(ui.receipt_col_step.get(lang)),
            e(ui.receipt_col_done.get(lang)),
        );
        for step in &self.steps {
            let at = self.table_time(&step.at);
            let done: Vec<String> = step
                .done
                .iter()
                .map(|d| format!("{} {}", self.table_time(&d.at), e(&d.text)))
                .collect();
            let _ = writeln!(out, "| {at} | {} | {} |", e(&step.title), done.join("<br>"));
        }

        if !self.followup.is_empty() {
            let _ = writeln!(out, "\n## {}\n", e(ui.receipt_followup.get(lang)));
            for item in &self.followup {
                let _ = writeln!(out, "- [ ] {}", e(item));
            }
        }
        let _ = writeln!(out, "\n## {}", e(ui.receipt_next.get(lang)));
        for paragraph in &self.next {
            let _ = writeln!(out, "\n{}", e(paragraph));
        }
        let _ = writeln!(out, "\n---\n\n*{}*", e(ui.not_the_bank.get(lang)));
        out
    }

    fn html(&self, ui: &UiStrings) -> String {
        let lang = self.lang;
        let e = |s: &str| escape_html(s);
        let t = |text: &crate::content::Text| escape_html(text.get(lang));
        let html_lang = match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} · {} · {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
            t(&ui.receipt_title),
            e(&self.product),
            e(&self.case_id),
        );
        let _ = writeln!(out, "<header>\n<h1>{}</h1>", t(&ui.receipt_title));
        let who = match &self.provider {
            Some(p) => format!("{} — {}", e(&self.product), e(p)),
            None => e(&self.product),
        };
        let _ = writeln!(out, "<p class=\"who\">{who}</p>\n</header>");

        // Two pairs a row, so the page keeps room for the steps; the product and provider,
        // the first fields, head the page instead.
        let named = 1 + usize::from(self.provider.is_some());
        let _ = writeln!(out, "<table class=\"fields\">");
        for pair in self.fields(ui)[named..].chunks(2) {
            let _ = write!(out, "<tr>");
            for (label, value) in pair {
                let _ = write!(
                    out,
                    "<th>{}</th><td>{}</td>",
                    e(label),
                    self.keep_id(&e(value))
                );
            }
            let _ = writeln!(out, "</tr>");
        }
        let _ = writeln!(out, "</table>");

        let _ = writeln!(
            out,
            "<section class=\"amounts\">\n<h2>{}</h2>",
            t(&ui.receipt_amounts)
        );
        if self.amounts.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", t(&ui.receipt_amounts_none));
        } else {
            let _ = writeln!(out, "<table class=\"amounts\">");
            for a in &self.amounts {
                let _ = writeln!(
                    out,
                    "<tr><th>{}</th><td class=\"money\">{}</td></tr>",
                    e(&a.label),
                    e(&format_cents(a.cents))
                );
            }
            let _ = writeln!(out, "</table>");
        }
        if let Some(note) = self.zero_note(ui) {
            let _ = writeln!(out, "<p class=\"zero\">✓ {}</p>", e(note));
        }
        let _ = writeln!(out, "</section>");

        let _ = writeln!(
            out,
            "<section class=\"steps\">\n<h2>{}</h2>\n<table class=\"steps\">\n\
             <thead><tr><th class=\"time\">{}</th><th class=\"step\">{}</th><th>{}</th></tr></thead>\n<tbody>",
            t(&ui.receipt_steps),
            e(&self.time_heading(ui)),
            t(&ui.receipt_col_step),
            t(&ui.receipt_col_done),
        );
        for step in &self.steps {
            let at = self.table_time(&step.at);
            let _ = write!(
                out,
                "<tr><td class=\"time\">{}</td><td class=\"step\">{}</td><td>",
                e(&at),
                e(&step.title)
            );
            for d in &step.done {
                let _ = write!(
                    out,
                    "<div><span class=\"time\">{}</span> {}</div>",
                    e(&self.table_time(&d.at)),
                    e(&d.text)
                );
            }
            let _ = writeln!(out, "</td></tr>");
        }
        let _ = writeln!(out, "</tbody>\n</table>\n</section>");

        if !self.followup.is_empty() {
            let _ = writeln!(
                out,
                "<section class=\"followup\">\n<h2>{}</h2>\n<ul class=\"check\">",
                t(&ui.receipt_followup)
            );
            for item in &self.followup {
                let _ = writeln!(out, "<li>{}</li>", e(item));
            }
            let _ = writeln!(out, "</ul>\n</section>");
        }
        let _ = writeln!(
            out,
            "<section class=\"next\">\n<h2>{}</h2>",
            t(&ui.receipt_next)
        );
        for paragraph in &self.next {
            let _ = writeln!(out, "<p>{}</p>", self.keep_id(&e(paragraph)));
        }
        let _ = writeln!(out, "</section>");
        if self.signed_at_desk() {
            let _ = writeln!(
                out,
                "<section class=\"sign\">\n<h2>{}</h2>\n<div class=\"signs\">\n<div class=\"lines\">",
                t(&ui.receipt_sign)
            );
            for who in [&ui.receipt_sign_customer, &ui.receipt_sign_agent] {
                let _ = writeln!(
                    out,
                    "<div class=\"line\"><span>{}</span><span class=\"blank\"></span>\
                     <span>{}</span><span class=\"blank date\"></span></div>",
                    t(who),
                    t(&ui.receipt_sign_date)
                );
            }
            let _ = writeln!(
                out,
                "</div>\n<div class=\"stamp\">{}</div>\n</div>\n</section>",
                t(&ui.receipt_sign_stamp)
            );
        }
        let _ = writeln!(
            out,
            "<footer>{}</footer>\n</body>\n</html>",
            t(&ui.not_the_bank)
        );
        out
    }
}

impl Receipt {
    /// HTML text with the case id kept on one line: a browser would break it after any
    /// `-`; unbroken, it moves to the next line whole when the line is too narrow.
    fn keep_id(&self, html: &str) -> String {
        // An id is letters, digits, `-` and `_` (`CaseId`): escaping leaves it as it is.
        html.replace(
            self.case_id.as_str(),
            &format!("<span class=\"id\">{}</span>", self.case_id.as_str()),
        )
    }
}

/// The print style: A4, black on white (no toner spent on colour or fills), a CJK font
/// stack with the usual system fonts of each platform, and tables that break between rows.
const STYLE: &str = r#"@page { size: A4; margin: 12mm 14mm 14mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body {
  margin: 0 auto; padding: 12mm 0; max-width: 182mm;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 10pt; line-height: 1.35;
}
@media print { body { padding: 0; max-width: none; } }
header { border-bottom: 1.5pt solid #000; padding-bottom: 1.5mm; margin-bottom: 2.5mm; }
h1 { font-size: 16pt; margin: 0; }
p.who { font-size: 12pt; font-weight: bold; margin: 0.5mm 0 0; }
h2 { font-size: 11pt; margin: 3.5mm 0 1.2mm; break-after: avoid; page-break-after: avoid; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 2mm; overflow-wrap: anywhere; }
table.fields tr, table.amounts tr { border-bottom: 0.5pt solid #000; }
table.fields th { width: 16%; padding-left: 0; }
table.fields td { width: 34%; padding-right: 4mm; }
table.amounts th { font-weight: normal; padding-left: 0; }
td.money { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; width: 30%; }
p.zero { font-weight: bold; margin: 1.5mm 0 0; }
table.steps { border: 0.75pt solid #000; }
table.steps th, table.steps td { border: 0.5pt solid #000; }
table.steps thead { display: table-header-group; }
table.steps th { border-bottom: 1pt solid #000; }
table.steps tr { break-inside: avoid; page-break-inside: avoid; }
.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
.id { white-space: nowrap; overflow-wrap: normal; word-break: keep-all; }
th.time, td.time { width: 1%; }
td.step { width: 38%; }
ul.check { list-style: none; padding: 0; margin: 0; }
ul.check li { padding-left: 6mm; text-indent: -6mm; margin: 0.5mm 0; break-inside: avoid; }
ul.check li::before {
  content: ""; display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.75pt solid #000;
  margin-right: 2.8mm; vertical-align: -0.4mm;
}
section.next p { margin: 0; }
section.sign { break-inside: avoid; page-break-inside: avoid; }
div.signs { display: flex; gap: 8mm; align-items: flex-end; }
div.lines { flex: 1; }
div.line { display: flex; align-items: flex-end; gap: 2mm; margin-top: 9mm; }
div.line .blank { flex: 1; border-bottom: 0.75pt solid #000; }
div.line .blank.date { flex: 0 0 26mm; }
div.stamp {
  flex: 0 0 36mm; height: 36mm; border: 0.75pt dashed #000; padding: 1.5mm; font-size: 9pt;
}
footer { margin-top: 3.5mm; padding-top: 1.5mm; border-top: 0.5pt solid #000; font-size: 9pt; }
"#;

/// Text for HTML: the five characters that could open markup are written as entities.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text for Markdown: punctuation that could start markup, links, HTML or a table cell is
/// backslash-escaped (CommonMark), and line breaks become spaces (items and cells are one
/// line).
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn paren(lang: Lang, s: &str) -> String {
    match lang {
        Lang::Zh => format!("（{s}）"),
        Lang::En => format!(" ({s})"),
    }
}

/// Every amount checked, in the order the screen asked for them; ids the content no longer
/// has come last.
fn amounts(case: &Case, product: Option<&Product>, lang: Lang) -> Vec<Amount> {
    let mut out = Vec::new();
    for (step_id, answer) in &case.answers {
        let AnswerValue::Amounts { cents } = &answer.value else {
            continue;
        };
        let fields = product
            .and_then(|p| p.step(step_id))
            .and_then(|s| s.debt())
            .map(|d| d.fields.as_slice())
            .unwrap_or_default();
        for f in fields {
            if let Some(c) = cents.get(f.id.get_ref()) {
                out.push(Amount {
                    label: f.label.get(lang).to_owned(),
                    cents: *c,
                });
            }
        }
        for (id, c) in cents {
            if !fields.iter().any(|f| f.id.get_ref() == id) {
                out.push(Amount {
                    label: id.clone(),
                    cents: *c,
                });
            }
        }
    }
    out
}

/// The path that stands, one entry per step reached. What the log records between arrivals
/// is what was done there; ticks and language switches are details and are left out, but a
/// checklist with nothing else to say shows how many items were ticked.
fn steps_done(
    case: &Case,
    content: &Content,
    product: Option<&Product>,
    lang: Lang,
) -> Vec<StepDone> {
    let ui = content.ui_for(&case.product);
    let mut steps: Vec<(&str, StepDone)> = Vec::new();
    // What happened before the first step (the start) belongs to the first step.
    let mut before = Vec::new();
    for entry in final_path(&case.log) {
        match &entry.event {
            Event::Entered { step } => steps.push((
                step,
                StepDone {
                    at: entry.at,
                    title: step_title(product, step, lang),
                    done: std::mem::take(&mut before),
                },
            )),
            Event::Ticked { .. } | Event::Language { .. } => {}
            _ => {
                let done = Done {
                    at: entry.at,
                    text: describe(entry, content, product, lang),
                };
                match steps.last_mut() {
                    Some((_, s)) => s.done.push(done),
                    None => before.push(done),
                }
            }
        }
    }
    for (id, step) in &mut steps {
        if !step.done.is_empty() {
            continue;
        }
        if let Some(answer) = case.answers.get(*id)
            && let AnswerValue::Checklist { ticked } = &answer.value
        {
            let n = ticked.iter().filter(|t| **t).count();
            if n > 0 {
                step.done.push(Done {
                    at: answer.at,
                    text: ui.receipt_ticked.fill(
                        lang,
                        &[("n", &n.to_string()), ("of", &ticked.len().to_string())],
                    ),
                });
            }
        }
    }
    let mut out: Vec<StepDone> = steps
        .into_iter()
        .map(|(_, mut s)| {
            if let Some(last) = s.done.iter().map(|d| d.at).max() {
                s.at = last;
            }
            s
        })
        .collect();
    if !before.is_empty() {
        out.insert(
            0,
            StepDone {
                at: before[0].at,
                title: String::new(),
                done: before,
            },
        );
    }
    out
}

/// What to do next: a case that ended without being closed (refused, sent to customer
/// service, nothing to close) has its end step's own words first, which say what to do
/// there; then, for every case, the sentence for its state.
fn next_steps(case: &Case, product: Option<&Product>, ui: &UiStrings, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let end = product
        .and_then(|p| p.step(&case.step))
        .filter(|s| s.kind() == StepKind::Outcome && case.state.is_finished())
        .filter(|_| case.state != crate::wizard::CaseState::Closed);
    if let Some(body) = end.and_then(|s| s.body.as_ref()) {
        out.extend(
            body.get(lang)
                .split('\n')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
        );
    }
    out.push(next_text(case, ui, lang));
    out
}

fn next_text(case: &Case, ui: &UiStrings, lang: Lang) -> String {
    use crate::wizard::case::CaseState;
    // A case worked at a desk goes on there: its customer is told to come back, not to
    // type a command (the one a customer at home is given).
    let at_desk = case
        .log
        .iter()
        .any(|e| e.agent.is_some() || e.desk.is_some());
    let pick = |home, desk| if at_desk { desk } else { home };
    // The ones that say how to go on name the case (`{id}`); the others take nothing.
    let (next, names_case) = match case.state {
        CaseState::Closed => (&ui.receipt_next_closed, false),
        CaseState::NothingToClose => (&ui.receipt_next_nothing, false),
        CaseState::InReview => (
            pick(&ui.receipt_next_waiting, &ui.receipt_next_waiting_desk),
            true,
        ),
        CaseState::NeedsService | CaseState::Rejected => (&ui.receipt_next_service, false),
        CaseState::WaitingRepayment => (
            pick(&ui.receipt_next_repay, &ui.receipt_next_repay_desk),
            true,
        ),
        CaseState::Waiting(what) => {
            let words = what.words(ui);
            (pick(words.next, words.next_desk), true)
        }
        CaseState::InProgress => (
            pick(&ui.receipt_next_continue, &ui.receipt_next_continue_desk),
            true,
        ),
    };
    if names_case {
        next.fill(lang, &[("id", &case.id)])
    } else {
        next.get(lang).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration};
    use tui_input::InputRequest;

    use super::*;
    use crate::content::VerifyMethod;
    use crate::steps::StepBody;
    use crate::wizard::{Action, CaseState, Model, Screen, update};

    fn at(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    const PRODUCT: &str = "xiaomi-beiyongjin";

    /// Xiaomi Beiyongjin walked through the real `update` the way a person would: the menu
    /// ticked, nothing owed, SMS verification, confirmed on Monday 28 September 2026 (five
    /// business days across National Day), the result "closed" recorded on 9 October, the
    /// follow-up ticked. Each key a minute after the one before, so every step has its time.
    fn closed_case(content: &Content, lang: Lang) -> Case {
        walked_case(content, PRODUCT, lang, Ending::Closed)
    }

    /// How a walked case ends.
    #[derive(Clone, Copy, PartialEq)]
    enum Ending {
        Closed,
        /// The review's result: refused.
        Rejected,
        /// "I can't find it" on the menu path: customer service.
        CantFind,
    }

    /// `product` walked as `closed_case` walks it, to `ending`.
    fn walked_case(content: &Content, id: &str, lang: Lang, ending: Ending) -> Case {
        walked(content, id, lang, ending).case.unwrap()
    }

    /// The model at the end of the walk, its end screen open.
    fn walked(content: &Content, id: &str, lang: Lang, ending: Ending) -> Model {
        let product = content.product(id).unwrap();
        let mut model = Model::new(lang, false);
        let mut now = at("2026-09-28T10:00:00+08:00");
        let act = |model: &mut Model, action: Action, now: &mut Time| {
            update(model, content, action, *now);
            *now += Duration::minutes(1);
        };
        act(&mut model, Action::StartProduct(id.into()), &mut now);
        for _ in 0..40 {
            let case = model.case.as_ref().expect("a case is open");
            if case.state.is_finished() {
                return model;
            }
            let kind = product.step(&case.step).unwrap().kind();
            let unticked = match &model.screen {
                Screen::Step(v) => v.ticked.iter().filter(|t| !**t).count(),
                _ => 0,
            };
            let mut keys = Vec::new();
            match kind {
                StepKind::Debt => {
                    let n = product
                        .step(&case.step)
                        .unwrap()
                        .debt()
                        .unwrap()
                        .fields
                        .len();
                    for i in 0..n {
                        if i > 0 {
                            keys.push(Action::NextField);
                        }
                        keys.push(Action::Edit(InputRequest::InsertChar('0')));
                    }
                }
                StepKind::Verify => keys.push(Action::Down), // SMS, the second method
                StepKind::Confirm => {
                    keys.extend(
                        "CONFIRM"
                            .chars()
                            .map(|c| Action::Edit(InputRequest::InsertChar(c))),
                    );
                }
                StepKind::Review => {
                    // The result comes days later, if the review takes days.
                    if case.review().is_some_and(|r| r.expected > now.date_naive()) {
                        now = at("2026-10-09T15:30:00+08:00");
                    }
                    if ending == Ending::Rejected {
                        keys.push(Action::Down);
                    }
                }
                StepKind::Navigate if ending == Ending::CantFind => {
                    keys.extend((0..unticked).map(|_| Action::Down));
                }
                StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
                    keys.extend((0..unticked).map(|_| Action::Enter));
                }
                _ => {}
            }
            keys.push(Action::Enter);
            for k in keys {
                act(&mut model, k, &mut now);
            }
        }
        panic!("the case never ended")
    }

    fn made() -> Time {
        at("2026-10-09T16:00:00+08:00")
    }

    /// Every line of `text` that contains all of `needles`.
    fn line_with(text: &str, needles: &[&str]) -> bool {
        text.lines().any(|l| needles.iter().all(|n| l.contains(n)))
    }

    #[test]
    fn the_walked_case_is_a_realistic_one() {
        let content = Content::builtin().unwrap();
        let case = closed_case(&content, Lang::En);
        assert_eq!(case.state, CaseState::Closed);
        let review = case.review().expect("submitted");
        assert_eq!(review.expected.to_string(), "2026-10-10");
        assert_eq!(review.business_days, 5);
        let r = Receipt::new(&case, &content, Lang::En, made());
        assert_eq!(r.amounts.len(), 3);
        assert!(r.amounts.iter().all(|a| a.cents == 0));
        assert_eq!(r.verification.as_deref(), Some("SMS code"));
        assert!(r.steps.len() >= 9, "{:#?}", r.steps);
        assert_eq!(
            r.followup,
            [
                "The Beiyongjin page says cancelled, or no longer shows a limit or a way to borrow",
                "No amount is due and no repayment reminder remains"
            ]
        );
    }

    #[test]
    fn every_field_is_in_every_format_in_both_languages() {
        let content = Content::builtin().unwrap();
        let ui = content.ui_for(PRODUCT);
        let product = content.product(PRODUCT).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let case = closed_case(&content, lang);
            let r = Receipt::new(&case, &content, lang, made());
            let followup = product
                .steps()
                .iter()
                .find(|s| s.kind() == StepKind::Followup)
                .unwrap();
            let debt = product.step("debt").unwrap();
            let method = method_name(&content, VerifyMethod::Sms, lang);
            for format in [Format::Txt, Format::Md, Format::Html] {
                let out = r.render(ui, format);
                let esc = |s: &str| match format {
                    Format::Txt => s.to_owned(),
                    Format::Md => escape_md(s),
                    Format::Html => escape_html(s),
                };
                let has = |needle: &str, what: &str| {
                    assert!(
                        out.contains(&esc(needle)),
                        "{lang:?} {format:?}: no {what} {needle:?} in\n{out}"
                    );
                };
                has(ui.receipt_title.get(lang), "title");
                has(product.info.name.get(lang), "product");
                has(product.info.provider.get(lang), "provider");
                has(&case.id, "case id");
                has(ui.state_closed.get(lang), "state");
                has(&product.info.hotline, "hotline");
                has(method, "verification method");
                has("2026-10-10", "expected date");
                has(
                    &ui.receipt_business_days.fill(lang, &[("n", "5")]),
                    "business days",
                );
                has("2026-09-28 10:", "submission time");
                has(&time(&made()), "time the receipt was made");
                has(ui.receipt_amounts_zero.get(lang), "zero note");
                for field in &debt.debt().unwrap().fields {
                    let label = esc(field.label.get(lang));
                    assert!(
                        line_with(&out, &[&label, "¥0.00"]),
                        "{lang:?} {format:?}: no zero amount for {label:?} in\n{out}"
                    );
                }
                for item in &followup.checklist().unwrap().items {
                    has(item.get(lang), "follow-up item");
                }
                for paragraph in &r.next {
                    has(paragraph, "next");
                }
                for step in &r.steps {
                    let title = esc(&step.title);
                    let t = r.table_time(&step.at);
                    assert!(
                        line_with(&out, &[&t, &title]),
                        "{lang:?} {format:?}: step {title:?} not with its time {t} in\n{out}"
                    );
                }
                // The path, by title: every step of the main flow, in order.
                let mut from = 0;
                for id in [
                    "intro", "find", "status", "debt", "verify", "confirm", "review", "followup",
                    "closed",
                ] {
                    let title = esc(product.step(id).unwrap().title.get(lang));
                    let found = out[from..].find(&title);
                    assert!(
                        found.is_some(),
                        "{lang:?} {format:?}: step {id} missing or out of order"
                    );
                    from += found.unwrap();
                }
                // What was done, in the words of the log.
                for done in [
                    ui.ev_amounts.fill(lang, &[("amount", "¥0.00")]),
                    ui.ev_verified.fill(lang, &[("method", method)]),
                    ui.ev_acknowledged.get(lang).to_owned(),
                    ui.ev_confirmed.get(lang).to_owned(),
                    ui.ev_submitted.fill(lang, &[("date", "2026-10-10")]),
                    ui.ev_review_closed.get(lang).to_owned(),
                    ui.ev_followup_ok.get(lang).to_owned(),
                ] {
                    has(&done, "event");
                }
                // The result recorded days after the submission keeps its own time.
                has("2026-10-09 15:30", "time of the review result");
            }
        }
    }

    #[test]
    fn the_receipt_follows_the_language_asked_for() {
        let content = Content::builtin().unwrap();
        let case = closed_case(&content, Lang::En);
        let zh = receipt(&case, &content, Lang::Zh, Format::Html, made());
        assert!(zh.contains("<html lang=\"zh-CN\">"));
        // 小米 is cancelled (注销), and its receipt's title says so.
        assert!(zh.contains("注销回执") && zh.contains("小米"), "{zh}");
        assert!(!zh.contains("Receipt of the") && !zh.contains("关闭回执"));
        let en = receipt(&case, &content, Lang::En, Format::Md, made());
        assert!(en.starts_with("# Receipt of the cancellation"), "{en}");
        assert!(!en.contains("注销回执") && !en.contains("closure"));
    }

    #[test]
    fn html_escapes_every_content_text() {
        let mut content = Content::builtin().unwrap();
        let case = closed_case(&content, Lang::En);
        let evil = "<script>alert('x')</script> & \"co\"";
        let i = content
            .products
            .iter()
            .position(|p| p.id() == PRODUCT)
            .unwrap();
        let product = &mut content.products[i];
        product.info.name.en = format!("Beiyongjin {evil}").into();
        product.info.provider.en = format!("Xiaomi {evil}").into();
        product.info.hotline = format!("400 {evil}");
        for step in product.steps_mut() {
            step.title.en = format!("{} {evil}", step.title.en).into();
            match &mut step.spec {
                StepBody::Checklist(c) => {
                    for item in &mut c.items {
                        item.en = format!("{} {evil}", item.en).into();
                    }
                }
                StepBody::Debt(d) => {
                    for f in &mut d.fields {
                        f.label.en = format!("{} {evil}", f.label.en).into();
                    }
                }
                _ => {}
            }
        }
        let html = receipt(&case, &content, Lang::En, Format::Html, made());
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("& \""), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;")
        );
        // Every tag in the page is one the renderer wrote.
        let allowed = [
            "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
            "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "section", "div", "span",
            "ul", "li", "footer",
        ];
        for tag in html.split('<').skip(1) {
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
                .collect();
            assert!(allowed.contains(&name.as_str()), "unexpected tag <{name}");
        }
        let md = receipt(&case, &content, Lang::En, Format::Md, made());
        // In Markdown every `<` of the content is backslash-escaped.
        let opened = md.matches("<script").count();
        assert!(opened > 0, "{md}");
        assert_eq!(opened, md.matches(r"\<script\>").count(), "{md}");
        assert!(!md.contains(" & "), "{md}");
    }

    #[test]
    fn the_html_page_is_self_contained_and_set_for_a4() {
        let content = Content::builtin().unwrap();
        let case = closed_case(&content, Lang::Zh);
        let html = receipt(&case, &content, Lang::Zh, Format::Html, made());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        assert!(html.contains("@page { size: A4;"));
        assert!(html.contains("Noto Sans CJK SC"));
        for outside in [
            "http:", "https:", "src=", "<link", "@import", "url(", "<script",
        ] {
            assert!(!html.contains(outside), "{outside} in the page");
        }
        // Nothing printed in colour: every colour in the style is black or white.
        for c in STYLE.match_indices('#').map(|(i, _)| &STYLE[i..i + 4]) {
            assert!(c == "#000" || c == "#fff", "colour {c}");
        }
    }

    #[test]
    fn a_case_without_amounts_or_review_says_so() {
        let content = Content::builtin().unwrap();
        let mut model = Model::new(Lang::En, false);
        let now = at("2026-09-28T10:00:00+08:00");
        update(
            &mut model,
            &content,
            Action::StartProduct("weilidai".into()),
            now,
        );
        let case = model.case.clone().unwrap();
        let r = Receipt::new(&case, &content, Lang::En, now);
        assert!(r.amounts.is_empty() && r.review.is_none() && r.verification.is_none());
        for format in [Format::Txt, Format::Md, Format::Html] {
            let out = r.render(&content.ui, format);
            assert!(out.contains("(not checked yet)"), "{format:?}\n{out}");
            assert!(
                !out.contains("Every amount above is zero"),
                "{format:?}\n{out}"
            );
            assert!(!out.contains("Expected result"), "{format:?}\n{out}");
        }
    }

    /// The lines of the txt receipt's steps list (between its heading and the next blank).
    fn step_lines<'a>(txt: &'a str, ui: &UiStrings, lang: Lang) -> Vec<&'a str> {
        let heading = ui.receipt_steps.get(lang);
        txt.lines()
            .skip_while(|l| !l.starts_with(heading))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .collect()
    }

    #[test]
    fn a_case_refused_or_sent_to_customer_service_says_what_to_do_not_what_to_check() {
        let content = Content::builtin().unwrap();
        let product = content.product(PRODUCT).unwrap();
        let followup = product.step("followup").unwrap().checklist().unwrap();
        for (ending, end) in [
            (Ending::Rejected, "rejected"),
            (Ending::CantFind, "not-found"),
        ] {
            for lang in [Lang::Zh, Lang::En] {
                let case = walked_case(&content, PRODUCT, lang, ending);
                assert_eq!(case.step, end);
                assert!(case.state.is_finished() && case.state != CaseState::Closed);
                let ui = content.ui_for(PRODUCT);
                let r = Receipt::new(&case, &content, lang, made());
                assert!(r.followup.is_empty(), "{:?}", r.followup);
                let body = product.step(end).unwrap().body.as_ref().unwrap().get(lang);
                assert_eq!(
                    r.next.concat(),
                    format!(
                        "{}{}",
                        body.replace('\n', ""),
                        ui.receipt_next_service.get(lang)
                    )
                );
                for format in [Format::Txt, Format::Md, Format::Html] {
                    let out = r.render(ui, format);
                    for item in &followup.items {
                        assert!(!out.contains(item.get(lang)), "{format:?}: {out}");
                    }
                    assert!(
                        !out.contains(ui.receipt_followup.get(lang)),
                        "{format:?}: {out}"
                    );
                    // The end's own words may name the closed state (what to look for
                    // once it is done); the receipt's state and lists must not claim it.
                    assert_ne!(r.state, ui.state_closed.get(lang));
                    let without_body = body
                        .lines()
                        .fold(out.clone(), |out, line| out.replace(line, ""));
                    assert!(
                        format != Format::Txt || !without_body.contains(ui.state_closed.get(lang)),
                        "{format:?}: {out}"
                    );
                    let first = body.lines().next().unwrap();
                    let first = match format {
                        Format::Txt => first.to_owned(),
                        Format::Md => escape_md(first),
                        Format::Html => escape_html(first),
                    };
                    assert!(
                        out.contains(&first),
                        "{format:?}: no end-step words in {out}"
                    );
                }
            }
        }
        // A closed one still lists what to check.
        let r = Receipt::new(&closed_case(&content, Lang::Zh), &content, Lang::Zh, made());
        assert_eq!(r.followup.len(), followup.items.len());
    }

    #[test]
    fn every_line_of_the_steps_has_its_time_with_the_date_when_the_case_spans_days() {
        let content = Content::builtin().unwrap();
        let ui = &content.ui;
        // Over two weeks: each line dated.
        let case = closed_case(&content, Lang::En);
        let txt = receipt(&case, &content, Lang::En, Format::Txt, made());
        let lines = step_lines(&txt, ui, Lang::En);
        assert!(lines.len() > 15, "{txt}");
        let dated = |l: &str| {
            let t = l.trim_start();
            t.len() > 18
                && chrono::NaiveDateTime::parse_from_str(&t[..16], "%Y-%m-%d %H:%M").is_ok()
        };
        for l in &lines {
            assert!(dated(l), "no date and time: {l:?}\n{txt}");
        }
        assert!(txt.contains("Steps done (UTC+08:00):"), "{txt}");
        // In one day: each line has its hour and minute; the date is in the header.
        let case = walked_case(&content, "weilidai", Lang::Zh, Ending::Closed);
        let txt = receipt(&case, &content, Lang::Zh, Format::Txt, made());
        let lines = step_lines(&txt, ui, Lang::Zh);
        assert!(lines.len() > 10, "{txt}");
        for l in &lines {
            let t = l.trim_start();
            assert!(
                chrono::NaiveTime::parse_from_str(&t[..5], "%H:%M").is_ok() && !dated(l),
                "not a time of day: {l:?}\n{txt}"
            );
        }
        for format in [Format::Md, Format::Html] {
            let out = receipt(&case, &content, Lang::Zh, format, made());
            let r = Receipt::new(&case, &content, Lang::Zh, made());
            for d in r.steps.iter().flat_map(|s| &s.done) {
                let with_time = match format {
                    Format::Md => format!("{} {}", r.table_time(&d.at), escape_md(&d.text)),
                    _ => format!(
                        "<span class=\"time\">{}</span> {}",
                        r.table_time(&d.at),
                        escape_html(&d.text)
                    ),
                };
                assert!(out.contains(&with_time), "{format:?}: {with_time}\n{out}");
            }
        }
    }

    #[test]
    fn the_case_id_is_kept_on_one_line_on_the_page() {
        let content = Content::builtin().unwrap();
        for case in [
            closed_case(&content, Lang::En),
            walked_case(&content, "weilidai", Lang::En, Ending::CantFind),
        ] {
            let html = receipt(&case, &content, Lang::En, Format::Html, made());
            let id = case.id.as_str();
            let kept = format!("<span class=\"id\">{id}</span>");
            // Every time it is shown, in the fields and in what to do next (not the title).
            let body = &html[html.find("<body>").unwrap()..];
            assert!(body.matches(id).count() >= 1, "{body}");
            assert_eq!(
                body.matches(id).count(),
                body.matches(&kept).count(),
                "{body}"
            );
            assert!(STYLE.contains(".id { white-space: nowrap;"));
        }
    }

    #[test]
    fn a_cancelled_product_says_cancel_and_a_closed_one_close() {
        let content = Content::builtin().unwrap();
        let cancel = (
            ["已注销", "已确认注销"],
            ["cancelled", "cancellation confirmed"],
        );
        let close = (["已关闭", "已确认关闭"], ["closed", "closure confirmed"]);
        for (id, (zh, en), (other_zh, other_en)) in [
            ("xiaomi-beiyongjin", cancel, close),
            ("weilidai", close, cancel),
        ] {
            for (lang, [state, confirmed], [_, not_confirmed]) in
                [(Lang::Zh, zh, other_zh), (Lang::En, en, other_en)]
            {
                let case = walked_case(&content, id, lang, Ending::Closed);
                let txt = receipt(&case, &content, lang, Format::Txt, made());
                let r = Receipt::new(&case, &content, lang, made());
                assert_eq!(r.state, state, "{id}");
                assert!(txt.contains(confirmed), "{id} {lang:?}: {txt}");
                assert!(!txt.contains(not_confirmed), "{id} {lang:?}: {txt}");
                // The log says the same, line for line.
                let product = content.product(id);
                let log: Vec<String> = case
                    .log
                    .iter()
                    .map(|e| super::super::log_line(e, &content, product, lang))
                    .collect();
                assert!(log.iter().any(|l| l.ends_with(confirmed)), "{log:#?}");
                assert!(!log.iter().any(|l| l.contains(not_confirmed)), "{log:#?}");
            }
        }
    }

    #[test]
    fn the_end_screen_and_the_steps_on_the_way_use_the_products_verb() {
        use crate::steps::{Block, open_screen};
        let content = Content::builtin().unwrap();
        for (id, zh, en) in [
            ("baitiao", "已注销", "cancelled"),
            ("xiaomi-fenqi", "已注销", "cancelled"),
            ("huabei", "已关闭", "closed"),
        ] {
            for (lang, word) in [(Lang::Zh, zh), (Lang::En, en)] {
                let ending = if id == "xiaomi-fenqi" {
                    Ending::CantFind
                } else {
                    Ending::Closed
                };
                let model = walked(&content, id, lang, ending);
                let blocks = open_screen(&model, &content).expect("the end screen");
                let badge = blocks.iter().find_map(|b| match b {
                    Block::Badge(text, _) => Some(text.as_str()),
                    _ => None,
                });
                if ending == Ending::Closed {
                    assert_eq!(badge, Some(word), "{id} {lang:?}");
                } else {
                    assert!(badge.is_some_and(|b| !b.contains("关闭") && !b.contains("closed")));
                }
            }
        }
        // The words come from the product's set: a cancelled product's screens say 注销.
        let ui = content.ui_for("baitiao");
        assert_eq!(
            ui.confirm_prompt.zh,
            "确定要注销吗？输入「确认」（或 CONFIRM）后按 Enter。"
        );
        assert!(ui.verify_question.en.contains("cancellation page"));
        assert!(ui.debt_blocked_title.zh.starts_with("现在还不能注销"));
        assert_eq!(content.ui_for("weilidai").review_closed.zh, "已关闭了");
        assert_eq!(ui.review_closed.en, "It is cancelled");
        // An unknown product gets the usual words.
        assert_eq!(content.ui_for("nope").state_closed.en, "closed");
    }

    /// `case` as worked at a branch: whose it is, and its log stamped with the agent and
    /// desk of each half (desk 2 began it, desk 3 finished it).
    fn at_a_desk(mut case: Case, customer: &str) -> Case {
        case.customer = Some(customer.into());
        let half = case.log.len() / 2;
        for (i, e) in case.log.iter_mut().enumerate() {
            let (agent, desk) = if i < half {
                ("李娜", "2号柜台")
            } else {
                ("Wang Qiang", "3号柜台")
            };
            e.agent = Some(agent.into());
            e.desk = Some(desk.into());
        }
        case
    }

    #[test]
    fn a_receipt_at_a_desk_names_the_customer_masked_the_staff_and_when_it_was_confirmed() {
        let content = Content::builtin().unwrap();
        let ui = content.ui_for(PRODUCT);
        for lang in [Lang::Zh, Lang::En] {
            let case = at_a_desk(closed_case(&content, lang), "张三明");
            let confirmed = case
                .log
                .iter()
                .find(|e| matches!(e.event, Event::Confirmed { .. }))
                .unwrap()
                .at;
            let r = Receipt::new(&case, &content, lang, made());
            assert_eq!(r.customer.as_deref(), Some("张*明"));
            assert_eq!(r.agents, ["李娜", "Wang Qiang"]);
            assert_eq!(r.desks, ["2号柜台", "3号柜台"]);
            assert_eq!(r.confirmed, Some(Confirmed::At(confirmed)));
            let list = if lang == Lang::Zh { "、" } else { ", " };
            for format in [Format::Txt, Format::Md, Format::Html] {
                let out = r.render(ui, format);
                let esc = |s: &str| match format {
                    Format::Txt => s.to_owned(),
                    Format::Md => escape_md(s),
                    Format::Html => escape_html(s),
                };
                for (label, value) in [
                    (&ui.receipt_customer, "张*明".to_owned()),
                    (&ui.receipt_agent, format!("李娜{list}Wang Qiang")),
                    (&ui.receipt_desk, format!("2号柜台{list}3号柜台")),
                    (&ui.receipt_confirmed, time(&confirmed)),
                ] {
                    assert!(
                        line_with(&out, &[&esc(label.get(lang)), &esc(&value)]),
                        "{lang:?} {format:?}: no {value:?} by its label in\n{out}"
                    );
                }
                // The name in clear is on no format of it.
                assert!(!out.contains("张三明"), "{format:?}: {out}");
            }
        }
        // A queue ticket by its tail only.
        let case = at_a_desk(closed_case(&content, Lang::En), "A-1023");
        let r = Receipt::new(&case, &content, Lang::En, made());
        assert_eq!(r.customer.as_deref(), Some("ending 023"));
        assert!(!r.render(ui, Format::Txt).contains("1023"));
        // A customer at home: no customer, agent or desk line.
        let r = Receipt::new(&closed_case(&content, Lang::En), &content, Lang::En, made());
        let txt = r.render(ui, Format::Txt);
        for label in [&ui.receipt_customer, &ui.receipt_agent, &ui.receipt_desk] {
            assert!(!txt.contains(&format!("{}: ", label.en)), "{txt}");
        }
    }

    #[test]
    fn a_case_worked_at_a_desk_is_to_be_brought_back_there_not_resumed_by_a_command() {
        use crate::steps::wait::WaitFor;
        let content = Content::builtin().unwrap();
        for lang in [Lang::Zh, Lang::En] {
            for state in [
                CaseState::InReview,
                CaseState::WaitingRepayment,
                CaseState::InProgress,
                CaseState::Waiting(WaitFor::Refund),
                CaseState::Waiting(WaitFor::Dispute),
                CaseState::Waiting(WaitFor::Bill),
            ] {
                let mut home = closed_case(&content, lang);
                home.state = state;
                let next = |case: &Case| {
                    Receipt::new(case, &content, lang, made())
                        .next
                        .last()
                        .cloned()
                        .unwrap()
                };
                let at_home = next(&home);
                assert!(at_home.contains("xiaohu resume"), "{state:?}: {at_home}");
                let at_desk = next(&at_a_desk(home.clone(), "张三明"));
                let desk_word = if lang == Lang::Zh {
                    "服务台"
                } else {
                    "desk"
                };
                assert!(
                    !at_desk.contains("xiaohu") && at_desk.contains(desk_word),
                    "{state:?}: {at_desk}"
                );
                assert!(at_desk.contains(home.id.as_str()), "{state:?}: {at_desk}");
            }
        }
    }

    #[test]
    fn a_request_sent_outside_the_wizard_is_confirmed_on_its_day_said_once() {
        let content = Content::builtin().unwrap();
        let ui = content.ui_for(PRODUCT);
        let mut r = Receipt::new(&closed_case(&content, Lang::En), &content, Lang::En, made());
        let day = NaiveDate::from_ymd_opt(2026, 9, 25).unwrap();
        r.confirmed = Some(Confirmed::Sent(day));
        let label = ui.receipt_confirmed.get(Lang::En).to_owned();
        let has_confirmed = |r: &Receipt| {
            r.fields(ui)
                .into_iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v)
        };
        assert_eq!(has_confirmed(&r).as_deref(), Some("2026-09-25"));
        // The review's "request sent on" already says that day: not a second line.
        r.review.as_mut().unwrap().sent = Some(day);
        assert_eq!(has_confirmed(&r), None);
        assert!(
            r.fields(ui)
                .iter()
                .any(|(l, v)| l == ui.receipt_sent.get(Lang::En) && v == "2026-09-25")
        );
        // Nothing confirmed yet: no line.
        r.confirmed = None;
        assert_eq!(has_confirmed(&r), None);
    }

    #[test]
    fn a_receipt_printed_at_a_desk_has_lines_to_sign_and_room_for_the_stamp() {
        let content = Content::builtin().unwrap();
        let ui = content.ui_for(PRODUCT);
        for lang in [Lang::Zh, Lang::En] {
            let desk = at_a_desk(closed_case(&content, lang), "王先生");
            let txt = receipt(&desk, &content, lang, Format::Txt, made());
            for who in [&ui.receipt_sign_customer, &ui.receipt_sign_agent] {
                assert!(
                    line_with(
                        &txt,
                        &[who.get(lang), "________", ui.receipt_sign_date.get(lang)]
                    ),
                    "{lang:?}: no line to sign for {who:?}\n{txt}"
                );
            }
            assert!(txt.contains(ui.receipt_sign_stamp.get(lang)), "{txt}");
            assert!(txt.contains("  +--------------------------+\n  |"), "{txt}");
            // After what to do next, before the last word.
            let sign = txt.find(ui.receipt_sign.get(lang)).unwrap();
            assert!(sign > txt.find(ui.receipt_next.get(lang)).unwrap());
            assert!(sign < txt.find(ui.not_the_bank.get(lang)).unwrap());
            let html = receipt(&desk, &content, lang, Format::Html, made());
            assert!(html.contains("<section class=\"sign\">"), "{html}");
            for words in [
                &ui.receipt_sign_customer,
                &ui.receipt_sign_agent,
                &ui.receipt_sign_stamp,
            ] {
                assert!(html.contains(&escape_html(words.get(lang))), "{html}");
            }
            // At home nobody signs: neither format has the area.
            let home = closed_case(&content, lang);
            for format in [Format::Txt, Format::Html] {
                let out = receipt(&home, &content, lang, format, made());
                assert!(!out.contains(ui.receipt_sign_stamp.get(lang)), "{out}");
            }
        }
        // The area is kept whole on one page, its lines and box printed in black.
        assert!(STYLE.contains("section.sign { break-inside: avoid; page-break-inside: avoid; }"));
        assert!(STYLE.contains("div.stamp {") && STYLE.contains("dashed #000"));
    }

    #[test]
    fn staff_names_and_the_customer_from_a_file_cannot_command_the_terminal() {
        let content = Content::builtin().unwrap();
        let mut case = at_a_desk(closed_case(&content, Lang::En), "Wang\u{1b}]0;x\u{7}Ming");
        case.log[0].agent = Some("Li\u{1b}[2J\u{202e}".into());
        case.log[0].desk = Some("desk\n2".into());
        for format in [Format::Txt, Format::Md, Format::Html] {
            let out = receipt(&case, &content, Lang::En, format, made());
            assert!(
                !out.chars()
                    .any(|c| crate::safe_text::is_unsafe(c) && c != '\n'),
                "{format:?}: {out:?}"
            );
            assert!(!out.contains("desk\n2"), "{format:?}");
        }
    }

    #[test]
    fn escaping_leaves_plain_text_alone() {
        assert_eq!(escape_html("微粒贷 — ¥0.00"), "微粒贷 — ¥0.00");
        assert_eq!(escape_html("a<b>&'\""), "a&lt;b&gt;&amp;&#39;&quot;");
        assert_eq!(escape_md("a|b *c* [d](e)\nf"), r"a\|b \*c\* \[d\](e) f");
    }
}
