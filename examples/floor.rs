//! The floor of xiaohu's stack (docs/PERFORMANCE.md): a bare ratatui app that draws one
//! bordered paragraph of Chinese text and waits for a key. `benches/startup.py` measures
//! xiaohu's time to first frame and peak memory against this program's, in the same run.
//!
//! `cargo run --release --example floor`, any key quits.

use ratatui::crossterm::event::{self, Event};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

const TEXT: &str = "销户助手：本向导不会连接你的银行账户。你在手机上操作，这里记录每一步，\
                    并告诉你下一步点哪里。按任意键退出。";

fn main() -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    let drawn = terminal.draw(|frame| {
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .title(" 销户 ");
        let paragraph = Paragraph::new(TEXT).block(block).wrap(Wrap { trim: true });
        frame.render_widget(paragraph, frame.area());
    });
    let result = drawn.and_then(|_| {
        loop {
            if let Event::Key(_) = event::read()? {
                break Ok(());
            }
        }
    });
    ratatui::restore();
    result
}
