//! One module per screen kind; each builds the body of its screen as a [`Doc`].

mod checklist;
mod confirm;
mod contact;
mod debt;
mod intro;
mod outcome;
mod picker;
mod review;
mod status;
mod verify;
mod welcome;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::doc::{Doc, truncate};
use crate::content::{Content, Lang, Product, Step, StepKind};
use crate::steps::{Block, ScreenCx};
use crate::wizard::{Case, Model, Screen, StepView, Time};

/// The body of a screen: the title on its border and its lines.
pub struct Body {
    pub title: String,
    pub doc: Doc,
}

/// What a step screen needs to draw itself.
pub struct StepCtx<'a> {
    pub content: &'a Content,
    pub theme: &'a Theme,
    pub lang: Lang,
    pub demo: bool,
    pub product: &'a Product,
    pub case: &'a Case,
    pub step: &'a Step,
    pub view: &'a StepView,
    /// The time of the last action (countdowns); `None` before the first.
    pub clock: Option<Time>,
}

pub fn body(model: &Model, content: &Content, theme: &Theme, width: u16) -> Body {
    let mut doc = Doc::new(width);
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
        Screen::Step(view) => {
            let Some((case, product, step)) = open_step(model, content) else {
                return Body {
                    title: String::new(),
                    doc,
                };
            };
            let ctx = StepCtx {
                content,
                theme,
                lang,
                demo: model.demo,
                product,
                case,
                step,
                view,
                clock: model.clock,
            };
            step_body(&mut doc, &ctx);
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

fn step_body(doc: &mut Doc, ctx: &StepCtx) {
    let screen = ScreenCx {
        ui: &ctx.content.ui,
        lang: ctx.lang,
        demo: ctx.demo,
        product: ctx.product,
        case: ctx.case,
        step: ctx.step,
        view: ctx.view,
    };
    if let Some(blocks) = ctx.step.screen(&screen) {
        lay_out(doc, ctx, &blocks);
        return;
    }
    match ctx.step.kind() {
        StepKind::Intro => intro::build(doc, ctx),
        StepKind::Navigate | StepKind::Consequences | StepKind::Followup => {
            checklist::build(doc, ctx)
        }
        StepKind::Status => status::build(doc, ctx),
        StepKind::Debt => debt::build(doc, ctx),
        StepKind::Verify => verify::build(doc, ctx),
        StepKind::Confirm => confirm::build(doc, ctx),
        StepKind::Contact => contact::build(doc, ctx),
        StepKind::Review => review::build(doc, ctx),
        StepKind::Outcome => outcome::build(doc, ctx),
        // Every other kind describes its screen in blocks (above).
        _ => {}
    }
}

/// A screen described in blocks, drawn: each paragraph followed by a blank line, a heading
/// in the title's style, choices numbered, an aside dimmed and set apart.
fn lay_out(doc: &mut Doc, ctx: &StepCtx, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Text(text) => {
                doc.text(text, ctx.theme.text);
                doc.blank();
            }
            Block::Heading(text) => doc.text(text, ctx.theme.title),
            Block::Choices { labels, cursor } => {
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                choices(doc, ctx, &labels, *cursor);
            }
            Block::Aside(text) => {
                doc.blank();
                doc.text(text, ctx.theme.dim);
            }
        }
    }
}

/// The body text of a step, if it has one, followed by a blank line.
fn step_text(doc: &mut Doc, ctx: &StepCtx) {
    if let Some(body) = &ctx.step.body {
        doc.text(body.get(ctx.lang), ctx.theme.text);
        doc.blank();
    }
}

/// A list of choices; the selected one is highlighted and kept in view.
fn choices(doc: &mut Doc, ctx: &StepCtx, labels: &[&str], cursor: usize) {
    // Numbered, so a wrapped second line cannot be mistaken for another choice, and an
    // agent can say "choose 2".
    for (i, label) in labels.iter().enumerate() {
        let selected = i == cursor;
        let (mark, style) = if selected {
            ("▶", ctx.theme.selected)
        } else {
            (" ", ctx.theme.text)
        };
        doc.row(&format!("{mark} {}. ", i + 1), label, style, selected);
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
        left.push_str(&format!("│ {} ", product.info.name.get(lang)));
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
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(right_width + 1);
    // Narrow: the product's name matters more than the app's.
    let left = match product_only {
        Some(name) if left.width() > room => truncate(&name, room),
        _ => truncate(&left, room),
    };
    frame.render_widget(Paragraph::new(Line::styled(left, theme.title)), area);
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        area,
    );
}
