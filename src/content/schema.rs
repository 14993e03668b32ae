//! The shape of a product file (`content/products/*.toml`), exactly as an author writes it.
//!
//! A step is one flat table whose `kind` says which of the optional fields it uses; the
//! validator checks that each kind has what it needs and nothing it would ignore. (Serde's
//! tagged enums would buffer the table and lose the line and column of every error.)

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::Lang;
use super::strings::UiStrings;
use super::text::Text;
pub use crate::steps::wait::WaitFor;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFile {
    pub product: ProductInfo,
    #[serde(default)]
    pub steps: Vec<Spanned<StepFile>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInfo {
    /// Stable id used on the command line and in case files (`weilidai`).
    pub id: Spanned<String>,
    pub name: Text,
    /// Who provides or lends (微众银行 WeBank).
    pub provider: Text,
    /// The app where the person does it (微信 WeChat); products are grouped by it.
    pub platform: Platform,
    /// One line: what the product is.
    pub summary: Text,
    /// The provider's customer-service hotline.
    pub hotline: String,
    /// The hotline is not confirmed from an official source: wherever it is shown, the
    /// person is told to check it on the official site or in the app first. Left out of the
    /// file (and the fingerprint) when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hotline_check: bool,
    /// Position inside its platform group in the product list; lower first.
    #[serde(default)]
    pub order: i32,
    /// Whether the product is closed (关闭) or cancelled (注销): the word every screen, log
    /// line and receipt uses for the act (`ui.toml`'s `closing_*` sets). Left out of the
    /// fingerprint: it changes words, not what a case answered.
    #[serde(default, skip_serializing)]
    pub closing: Closing,
}

/// How the act is called for a product: `closing = "close"` (关闭, the default) or
/// `"cancel"` (注销: an account or a card line cancelled for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Closing {
    #[default]
    Close,
    Cancel,
}

impl ProductInfo {
    /// The hotline as people see it, with the advice to check it where it is unconfirmed.
    pub fn hotline_text(&self, ui: &UiStrings, lang: Lang) -> String {
        hotline_text(ui, &self.hotline, self.hotline_check, lang)
    }
}

/// A hotline number, followed by "check it first" when it is unconfirmed (`hotline_check`).
pub fn hotline_text(ui: &UiStrings, number: &str, check: bool, lang: Lang) -> String {
    if check {
        ui.hotline_check.fill(lang, &[("hotline", number)])
    } else {
        number.to_owned()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub id: String,
    pub name: Text,
    /// Position of the platform's group in the product list; lower first.
    #[serde(default = "Platform::default_order")]
    pub order: i32,
}

impl Platform {
    fn default_order() -> i32 {
        100
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    Intro,
    Navigate,
    Status,
    Debt,
    Verify,
    Consequences,
    Confirm,
    Contact,
    Review,
    Followup,
    Outcome,
    Wait,
    Sent,
}

impl StepKind {
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Intro => "intro",
            StepKind::Navigate => "navigate",
            StepKind::Status => "status",
            StepKind::Debt => "debt",
            StepKind::Verify => "verify",
            StepKind::Consequences => "consequences",
            StepKind::Confirm => "confirm",
            StepKind::Contact => "contact",
            StepKind::Review => "review",
            StepKind::Followup => "followup",
            StepKind::Outcome => "outcome",
            StepKind::Wait => "wait",
            StepKind::Sent => "sent",
        }
    }
}

/// One `[[steps]]` table as written: the fields every kind has, then each kind's own, all
/// optional here; the kind's module in `crate::steps` says which it needs and reads them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub id: Spanned<String>,
    pub kind: Spanned<StepKind>,
    pub title: Text,
    #[serde(default)]
    pub body: Option<Text>,
    /// Where the step leads when completed; default: the step after it in the file.
    #[serde(default)]
    pub next: Option<Spanned<String>>,
    /// For the help-desk agent sitting beside the customer: what to say and ask at this
    /// step. Any kind may set it; the agent panel shows it, the customer's screen never does.
    /// Left out of the step fingerprint: rewording advice for agents changes nothing the
    /// customer answered, so saved cases must not be flagged as "content changed".
    #[serde(default, skip_serializing)]
    pub agent: Option<Text>,

    /// navigate: the menu path as a checklist; consequences: what closing means;
    /// followup: what to check once it is closed.
    #[serde(default)]
    pub items: Option<Vec<Text>>,
    /// navigate: where "I can't find it" leads.
    #[serde(default)]
    pub cant_find: Option<Spanned<String>>,

    /// status: what the product page may show, each leading on.
    #[serde(default)]
    pub options: Option<Vec<StatusOption>>,

    /// debt: the amounts the product can owe.
    #[serde(default)]
    pub fields: Option<Vec<DebtField>>,
    /// debt: how to repay, shown when an amount blocks the closure.
    #[serde(default)]
    pub repay: Option<Text>,

    /// verify: the methods the platform may ask for.
    #[serde(default)]
    pub methods: Option<Vec<Spanned<VerifyMethod>>>,

    /// contact: the routes to a person (online chat path, hotline …).
    #[serde(default)]
    pub channels: Option<Vec<Text>>,
    /// contact: what to have at hand (never typed into the wizard).
    #[serde(default)]
    pub prepare: Option<Vec<Text>>,
    /// contact: what to say.
    #[serde(default)]
    pub say: Option<Text>,

    /// review: how many business days the review usually takes at most (0: immediate).
    #[serde(default)]
    pub business_days: Option<u32>,
    /// review: where a rejected request leads.
    #[serde(default)]
    pub rejected: Option<Spanned<String>>,
    /// review: where "it is overdue: ask customer service" leads, once the expected date
    /// has passed. Left out of the file (and the fingerprint) for every other kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue: Option<Spanned<String>>,

    /// followup: where "it still shows open" leads.
    #[serde(default)]
    pub still_open: Option<Spanned<String>>,

    /// outcome: which end this is.
    #[serde(default)]
    pub result: Option<Spanned<OutcomeKind>>,

    /// wait: what is awaited (a refund, a dispute, a bill). Left out of the file (and the
    /// fingerprint) for every other kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_for: Option<Spanned<WaitFor>>,
}

impl StepFile {
    pub fn id(&self) -> &str {
        self.id.get_ref()
    }

    pub fn kind(&self) -> StepKind {
        *self.kind.get_ref()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusOption {
    pub label: Text,
    /// Default: the step after the status step.
    #[serde(default)]
    pub next: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebtField {
    pub id: Spanned<String>,
    pub label: Text,
    #[serde(default)]
    pub hint: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyMethod {
    PaymentPassword,
    Sms,
    Face,
    AgentId,
}

impl VerifyMethod {
    pub const ALL: [VerifyMethod; 4] = [
        VerifyMethod::PaymentPassword,
        VerifyMethod::Sms,
        VerifyMethod::Face,
        VerifyMethod::AgentId,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The product is closed.
    Closed,
    /// There was nothing to close (never opened, not eligible, already closed).
    NothingToClose,
    /// Only customer service can go on from here.
    NeedsService,
    /// The provider refused the request.
    Rejected,
}

/// Why a step leads to another: the graph the wizard walks and the validator checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitVia {
    /// Completed normally (`next`, or the following step).
    Next,
    /// A status option, by position.
    Option(usize),
    /// navigate: "I can't find it".
    CantFind,
    /// review: the provider refused.
    Rejected,
    /// review: past its expected date, the person takes the customer-service route.
    Overdue,
    /// followup: the product still shows open.
    StillOpen,
}

impl StepFile {
    /// The optional fields this step sets, by their TOML name.
    pub fn fields_present(&self) -> Vec<&'static str> {
        let mut present = Vec::new();
        let mut mark = |name, is: bool| {
            if is {
                present.push(name)
            }
        };
        mark("body", self.body.is_some());
        mark("next", self.next.is_some());
        mark("items", self.items.is_some());
        mark("cant_find", self.cant_find.is_some());
        mark("options", self.options.is_some());
        mark("fields", self.fields.is_some());
        mark("repay", self.repay.is_some());
        mark("methods", self.methods.is_some());
        mark("channels", self.channels.is_some());
        mark("prepare", self.prepare.is_some());
        mark("say", self.say.is_some());
        mark("business_days", self.business_days.is_some());
        mark("rejected", self.rejected.is_some());
        mark("overdue", self.overdue.is_some());
        mark("still_open", self.still_open.is_some());
        mark("result", self.result.is_some());
        mark("waiting_for", self.waiting_for.is_some());
        present
    }
}
