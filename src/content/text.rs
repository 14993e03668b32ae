//! Bilingual text: every sentence a person reads exists in Chinese and English.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The two languages of the wizard. Chinese first: it is the language of the products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The language a locale string such as `zh_CN.UTF-8` asks for; English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "中文" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}` (use zh or en)")),
        }
    }
}

/// A text with both languages; content validation refuses an empty one. Borrowed where
/// it is the binary's own (the built-in content's form, `content::embedded`): a start
/// copies none of its hundreds of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    #[serde(deserialize_with = "lines")]
    pub zh: Cow<'static, str>,
    #[serde(deserialize_with = "lines")]
    pub en: Cow<'static, str>,
}

/// A text as written, its line breaks as `\n` whatever the file's were: a multi-line
/// text of a file saved with Windows line endings holds `\r\n`, and the `\r` would be
/// shown (escaped, as every control character is) on every line of the screen.
fn lines<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cow<'static, str>, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(Cow::Owned(if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    }))
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.zh.trim().is_empty() || self.en.trim().is_empty()
    }

    /// The text with `{name}` placeholders filled in. Only a placeholder the text has may be
    /// asked for: a UI string's are declared and checked at load (`content::strings`), so
    /// asking for another is a mistake in the code.
    pub fn fill(&self, lang: Lang, args: &[(&str, &str)]) -> String {
        debug_assert!(
            args.iter()
                .all(|(name, _)| self.get(lang).contains(&format!("{{{name}}}"))),
            "fill({:?}) asked of a text without them: {:?}",
            args.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            self.get(lang)
        );
        let mut out = self.get(lang).to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// Every `{` in `s`: its byte offset, and the name up to the next `}` (`None` when another
/// `{` or the end comes first).
pub fn placeholders(s: &str) -> Vec<(usize, Option<&str>)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find('{').map(|i| i + from) {
        let rest = &s[i + 1..];
        match rest.find(['{', '}']) {
            Some(j) if rest[j..].starts_with('}') => {
                found.push((i, Some(&rest[..j])));
                from = i + 1 + j + 1;
            }
            _ => {
                found.push((i, None));
                from = i + 1;
            }
        }
    }
    found
}

/// Product texts take no placeholders: nothing fills them in, so a `{…}` would reach the
/// screen as typed. What is wrong with `text`, in each language that has a problem, for the
/// product validator to report at that string.
pub fn product_text_problems(text: &Text) -> Vec<(Lang, String)> {
    [Lang::Zh, Lang::En]
        .into_iter()
        .filter_map(|lang| {
            let (_, name) = *placeholders(text.get(lang)).first()?;
            let shown = name.map_or("{".to_owned(), |n| format!("{{{n}}}"));
            Some((
                lang,
                format!(
                    "product texts take no placeholders: `{shown}` in the {} text",
                    lang.code()
                ),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh_TW"), Lang::Zh);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        let t = Text {
            zh: "{n} 个工作日,{n}".into(),
            en: "{n} business days".into(),
        };
        assert_eq!(t.fill(Lang::Zh, &[("n", "5")]), "5 个工作日,5");
        assert_eq!(t.fill(Lang::En, &[("n", "5")]), "5 business days");
    }

    #[test]
    fn placeholders_are_found_with_their_places() {
        assert_eq!(
            placeholders("a {n} b {hotline}"),
            [(2, Some("n")), (8, Some("hotline"))]
        );
        // A brace never closed, or closed only after another opens.
        assert_eq!(placeholders("x { y"), [(2, None)]);
        assert_eq!(placeholders("{a {b}"), [(0, None), (3, Some("b"))]);
        assert_eq!(placeholders("{}"), [(0, Some(""))]);
        assert!(placeholders("no braces, 中文 }").is_empty());
    }

    #[test]
    fn product_texts_take_no_placeholders() {
        let text = |zh: &'static str, en: &'static str| Text {
            zh: zh.into(),
            en: en.into(),
        };
        assert_eq!(product_text_problems(&text("拨打客服", "Call them")), []);
        assert_eq!(
            product_text_problems(&text("拨打 {hotline}", "Call them")),
            [(
                Lang::Zh,
                "product texts take no placeholders: `{hotline}` in the zh text".to_owned()
            )]
        );
        assert_eq!(
            product_text_problems(&text("拨打", "Call { them")),
            [(
                Lang::En,
                "product texts take no placeholders: `{` in the en text".to_owned()
            )]
        );
        // Both languages, each on its own.
        assert_eq!(
            product_text_problems(&text("拨打 {hotline}", "Call {hotline}")).len(),
            2
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "asked of a text without them")]
    fn fill_is_never_asked_for_a_placeholder_the_text_lacks() {
        let t = Text {
            zh: "{n} 天".into(),
            en: "{n} days".into(),
        };
        t.fill(Lang::En, &[("m", "5")]);
    }
}
