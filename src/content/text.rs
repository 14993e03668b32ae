//! Bilingual text: every sentence a person reads exists in Chinese and English.

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

/// A text with both languages; content validation refuses an empty one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
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

    /// The text with `{name}` placeholders filled in.
    pub fn fill(&self, lang: Lang, args: &[(&str, &str)]) -> String {
        let mut out = self.get(lang).to_owned();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
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
}
