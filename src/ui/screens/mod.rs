//! One module per screen kind; each builds the body of its screen as a [`Doc`].

mod phone;
mod picker;
mod welcome;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::doc::{Doc, truncate};
use crate::content::{Content, Lang, Product, Step};
use crate::steps::{AmountRow, Block, Keys, Purpose, Tone, open_screen};
use crate::wizard::money::format_cents;
use crate::wizard::{Case, Model, Screen, StepView, Time};

/// The body of a screen: the title on its border and its lines.
pub struct Body {
    pub title: String,
    pub doc: Doc,
}

/// What laying out a step's blocks needs besides them.
pub struct StepCtx<'a> {
    pub content: &'a Content,
    /// The strings with the open case's product's words for the act (关闭 or 注销).
    pub ui: &'a crate::content::UiStrings,
    pub theme: &'a Theme,
    pub lang: Lang,
    pub demo: bool,
    /// A public terminal: the end screen offers no receipt key (`e` is staff's there).
    pub kiosk: bool,
    pub view: &'a StepView,
    /// The time of the last action (countdowns); `None` before the first.
    pub clock: Option<Time>,
}

pub fn body(model: &Model, content: &Content, theme: &Theme, width: u16) -> Body {
    let mut doc = Doc::new(width, theme.glyphs);
    let lang = model.lang;
    let title = match &model.screen {
        Screen::Welcome { selected } => {
            welcome::build(&mut doc, model, content, theme, *selected);
            content.ui.welcome_title.get(lang).to_owned()
        }
        Screen::Picker { filter, selected } => {
            picker::build(&mut doc, content, theme, lang, filter, *selected);
            content.ui.picker_title.get(lang).to_owned()
        }
        Screen::Customer {
            product,
            input,
            refused,
        } => {
            welcome::customer(&mut doc, model, content, theme, product, input, *refused);
            content.ui.customer_title.get(lang).to_owned()
        }
        Screen::Step(view) => {
            // The step's kind describes its screen in blocks (`crate::steps`), laid out here.
            let (Some((_, _, step)), Some(blocks)) =
                (open_step(model, content), open_screen(model, content))
            else {
                return Body {
                    title: String::new(),
                    doc,
                };
            };
            let ctx = StepCtx {
                content,
                ui: model
                    .case
                    .as_ref()
                    .map_or(&content.ui, |c| content.ui_for(&c.product)),
                theme,
                lang,
                demo: model.demo,
                kiosk: model.kiosk,
                view,
                clock: model.clock,
            };
            for block in &blocks {
                lay_out(&mut doc, &ctx, block);
            }
            step.title.get(lang).to_owned()
        }
    };
    Body { title, doc }
}

fn open_step<'a>(
    model: &'a Model,
    content: &'a Content,
) -> Option<(&'a Case, &'a Product, &'a Step)> {
    let case = model.case.as_ref()?;
    let product = content.product(&case.product)?;
    let step = product.step(&case.step)?;
    Some((case, product, step))
}

fn style(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Plain => theme.text,
        Tone::Title => theme.title,
        Tone::Dim => theme.dim,
        Tone::Key => theme.key,
        Tone::Error => theme.error,
        Tone::Ok => theme.ok,
        Tone::Demo => theme.demo,
    }
}

/// One block, drawn.
fn lay_out(doc: &mut Doc, ctx: &StepCtx, block: &Block) {
    let theme = ctx.theme;
    match block {
        Block::Text(text, tone) => doc.text(text, style(theme, *tone)),
        Block::Keys(keys) => {
            let ui = ctx.ui;
            let (text, style) = match keys {
                Keys::Blocked => (&ui.debt_blocked_action, theme.key),
                // An end asking why: what Enter does with the reason (the receipt's key
                // is typed into the field until then).
                Keys::Ended { back } if ctx.view.reason => {
                    let text = if *back {
                        &ui.reason_hint_back
                    } else {
                        &ui.reason_hint
                    };
                    (text, theme.dim)
                }
                Keys::Ended { back: false } if ctx.demo => (&ui.outcome_home_demo, theme.dim),
                Keys::Ended { back: false } if ctx.kiosk => (&ui.outcome_home_kiosk, theme.dim),
                Keys::Ended { back: false } => (&ui.outcome_home, theme.dim),
                Keys::Ended { back: true } if ctx.demo => (&ui.outcome_back_demo, theme.dim),
                Keys::Ended { back: true } if ctx.kiosk => (&ui.outcome_back_kiosk, theme.dim),
                Keys::Ended { back: true } => (&ui.outcome_back, theme.dim),
                Keys::TypeWord => (&ui.confirm_prompt, theme.title),
                Keys::Contacted => (&ui.contact_done, theme.dim),
            };
            doc.text(text.get(ctx.lang), style);
        }
        Block::Gap => doc.blank(),
        Block::About { name, provider } => {
            let dash = theme.glyphs.dash;
            doc.text(&format!("{name}{dash}{provider}"), theme.title);
        }
        Block::Bullets(points) => {
            let bullet = format!("{} ", theme.glyphs.bullet);
            for point in points {
                doc.row(&bullet, point, theme.text, false);
            }
        }
        Block::Indented(text, tone) => doc.row("  ", text, style(theme, *tone), false),
        Block::Choices { labels, cursor } => {
            let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
            choices(doc, ctx, &labels, *cursor);
        }
        Block::Checklist {
            items,
            cursor,
            escape,
            ..
        } => checklist(doc, theme, items, *cursor, escape.as_deref()),
        Block::Amounts(rows) => amounts(doc, ctx, rows),
        Block::Field { label, purpose } => {
            if let Some(input) = ctx.view.inputs.first() {
                let focused = match purpose {
                    Purpose::Word | Purpose::Date => true,
                    Purpose::Note { shown } | Purpose::Reason { shown } => *shown,
                };
                doc.field(label, input, focused, theme.key, theme.field);
            }
        }
        Block::Phone(phone) => phone::panel(doc, ctx, phone),
        Block::Problem(text) => doc.text(text, theme.error),
        Block::Badge(text, tone) => {
            let badge = theme.glyphs.badge;
            doc.text(&format!("{badge} {text}"), style(theme, *tone));
        }
    }
}

/// Items to tick, then the row that leaves another way, set apart.
fn checklist(
    doc: &mut Doc,
    theme: &Theme,
    items: &[(String, bool)],
    cursor: usize,
    escape: Option<&str>,
) {
    let g = &theme.glyphs;
    for (i, (item, ticked)) in items.iter().enumerate() {
        let on = i == cursor;
        let mark = if *ticked { g.ticked } else { g.unticked };
        let prefix = format!("{}{mark} ", marker(g, on));
        let style = match (on, ticked) {
            (true, _) => theme.selected,
            (false, true) => theme.ticked,
            _ => theme.text,
        };
        doc.row(&prefix, item, style, on);
    }
    if let Some(label) = escape {
        let on = cursor == items.len();
        doc.blank();
        let style = if on { theme.selected } else { theme.dim };
        doc.row(&marker(g, on), label, style, on);
    }
}

/// What goes before a row of a list: the selection marker and a space, or as many spaces.
pub(super) fn marker(glyphs: &super::Glyphs, on: bool) -> String {
    if on {
        format!("{} ", glyphs.selected)
    } else {
        " ".repeat(unicode_width::UnicodeWidthStr::width(glyphs.selected) + 1)
    }
}

/// An amount field per row, labels padded to one width, what is said of each under it.
fn amounts(doc: &mut Doc, ctx: &StepCtx, rows: &[AmountRow]) {
    let (ui, lang, theme, view) = (&ctx.content.ui, ctx.lang, ctx.theme, ctx.view);
    let label_width = rows.iter().map(|r| r.label.width()).max().unwrap_or(0);
    for (i, row) in rows.iter().enumerate() {
        let on = i == view.cursor;
        let pad = label_width - row.label.width();
        let label = format!(
            "{}{}{} ¥ ",
            marker(&theme.glyphs, on),
            row.label,
            " ".repeat(pad)
        );
        let style = if on { theme.key } else { theme.text };
        if let Some(input) = view.inputs.get(i) {
            doc.field(&label, input, on, style, theme.field);
        }
        let mut notes = Vec::new();
        if let Some(hint) = &row.hint {
            notes.push((hint.clone(), theme.dim));
        }
        if let Some(c) = row.last {
            let last = ui
                .debt_last_time
                .fill(lang, &[("amount", &format_cents(c))]);
            notes.push((last, theme.dim));
        }
        if let Some(err) = &row.error {
            notes.push((err.clone(), theme.error));
        }
        for (text, style) in notes {
            doc.row("    ", &text, style, false);
        }
    }
}

/// A list of choices; the selected one is highlighted and kept in view.
fn choices(doc: &mut Doc, ctx: &StepCtx, labels: &[&str], cursor: usize) {
    // Numbered, so a wrapped second line cannot be mistaken for another choice, and an
    // agent can say "choose 2".
    for (i, label) in labels.iter().enumerate() {
        let selected = i == cursor;
        let style = if selected {
            ctx.theme.selected
        } else {
            ctx.theme.text
        };
        let mark = marker(&ctx.theme.glyphs, selected);
        doc.row(&format!("{mark}{}. ", i + 1), label, style, selected);
    }
}

/// One line: app name and product on the left (cut to fit); "n/m", DEMO and the language on
/// the right, never cut: they matter more than the product's full name.
pub fn header(frame: &mut Frame, area: Rect, model: &Model, content: &Content, theme: &Theme) {
    let lang = model.lang;
    let ui = &content.ui;
    let mut right = Vec::new();
    let mut left = format!(" {} ", ui.app_title.get(lang));
    let mut product_only = None;
    if let Some((case, product, step)) = open_step(model, content) {
        let (n, m) = product.progress(step, case.trail.len());
        left.push_str(&format!(
            "{} {} ",
            theme.glyphs.bar,
            product.info.name.get(lang)
        ));
        product_only = Some(format!(" {} ", product.info.name.get(lang)));
        right.push(Span::styled(
            ui.step_of
                .fill(lang, &[("n", &n.to_string()), ("m", &m.to_string())]),
            theme.key,
        ));
        right.push(Span::raw("  "));
    }
    if model.demo {
        right.push(Span::styled(ui.demo_mark.get(lang).to_owned(), theme.demo));
        right.push(Span::raw(" "));
    }
    right.push(Span::styled(
        match lang {
            Lang::Zh => "中文 ",
            Lang::En => "EN ",
        },
        theme.dim,
    ));
    let right: Vec<Span> = right
        .into_iter()
        .map(|s| Span::styled(theme.glyphs.line(&s.content).into_owned(), s.style))
        .collect();
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(right_width + 1);
    // Narrow: the product's name matters more than the app's.
    let left = match product_only {
        Some(name) if left.width() > room => truncate(&name, room, &theme.glyphs),
        _ => truncate(&left, room, &theme.glyphs),
    };
    // Straight into the buffer (`put_lines`), the right part against the right edge.
    let buf = frame.buffer_mut();
    buf.set_line(area.x, area.y, &Line::styled(left, theme.title), area.width);
    let right = Line::from(right);
    let width = u16::try_from(right.width())
        .unwrap_or(u16::MAX)
        .min(area.width);
    buf.set_line(area.right() - width, area.y, &right, width);
}
