//! `intro`: what the product is and who provides it; Enter goes on.

use super::{Block, Cx, Fields, Flow, Kind, ScreenCx, Step, StepView, Tone, body_text};
use crate::content::ExitVia;
use crate::content::schema::{StepFile, StepKind};
use crate::wizard::action::Action;
use crate::wizard::case::AnswerValue;

#[derive(Debug, Clone)]
pub struct Intro;

impl Kind for Intro {
    fn fields(_: StepKind) -> Fields {
        Fields {
            required: &[],
            allowed: &["body", "next"],
        }
    }

    fn read(_: &StepFile) -> Intro {
        Intro
    }

    fn handle(&self, _: &mut Cx, action: Action) -> Flow {
        match action {
            Action::Enter => Flow::Leave(ExitVia::Next),
            _ => Flow::Stay,
        }
    }

    fn screen(&self, cx: &ScreenCx) -> Vec<Block> {
        let (info, lang) = (&cx.product.info, cx.lang);
        let mut blocks = vec![
            Block::About {
                name: info.name.get(lang).to_owned(),
                provider: info.provider.get(lang).to_owned(),
            },
            Block::Text(info.summary.get(lang).to_owned(), Tone::Dim),
            Block::Gap,
        ];
        body_text(cx, &mut blocks);
        blocks
    }

    fn answer(&self, _: &Step, _: &StepView, _: bool) -> Option<AnswerValue> {
        Some(AnswerValue::Seen)
    }
}
