//! Every sentence of the interface, in `content/ui.toml`, checked at load time.
//!
//! The struct is generated from one list of names, so a string the code uses but the file
//! lacks is a load error with a line number, never a blank on screen. A name lists the
//! placeholders its string takes (`contact_hotline: [hotline]`): each `{…}` in either
//! language must be one of them and each of them must be in both, so a typo (`{hotlin}`)
//! is a load error at its line and column, not a brace on screen.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use super::diagnostic::Diagnostic;
use super::schema::Closing;
use super::text::{Lang, Text, placeholders};

macro_rules! ui_strings {
    ($($name:ident $(: [$($placeholder:ident),* $(,)?])?),* $(,)?) => {
        /// `repr(C)`: laid out as an array of its texts in the names' order, so the array
        /// `from_texts` is given becomes the strings where it lies (see there).
        #[derive(Debug, Clone)]
        #[repr(C)]
        pub struct UiStrings {
            $(pub $name: Text,)*
        }

        const _: () = assert!(
            size_of::<UiStrings>() == size_of::<[Text; UiStrings::NAMES.len()]>()
                && align_of::<UiStrings>() == align_of::<[Text; UiStrings::NAMES.len()]>()
        );

        /// Read as a table of texts by one small visitor (`texts_in_order`): serde's derive
        /// on a struct of this many fields made 2 MB of machine code per deserializer, a
        /// third of the binary, which a cold start then paged in.
        impl<'de> Deserialize<'de> for UiStrings {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let texts = texts_in_order(deserializer, UiStrings::NAMES)?;
                // One text per name: `texts_in_order` says which is missing otherwise.
                Ok(*UiStrings::from_texts(texts))
            }
        }

        impl UiStrings {
            const NAMES: &[&str] = &[$(stringify!($name)),*];

            /// How many strings a set has.
            pub(crate) const COUNT: usize = Self::NAMES.len();

            /// Each string's name and the placeholders it takes, as static data.
            const DECLARED: &[(&str, &[&str])] =
                &[$((stringify!($name), &[$($(stringify!($placeholder)),*)?])),*];

            /// The strings from texts in the names' order, one per name (every caller has
            /// checked the count), in the texts' own allocation. Every way of making
            /// strings goes through this one function, out of line and of one concrete
            /// argument type (a `dyn` iterator was cloned per caller by the optimizer).
            ///
            /// Nothing is moved: a set is some 20 KB, and taking the array apart into a
            /// struct copied it through two stack frames and into a new box, eleven copies
            /// for a start's two sets, each touching pages the start had not touched yet.
            #[inline(never)]
            fn from_texts(texts: Vec<Text>) -> Box<UiStrings> {
                let texts: Box<[Text; Self::NAMES.len()]> = texts
                    .into_boxed_slice()
                    .try_into()
                    .unwrap_or_else(|_| unreachable!("one text per name"));
                // SAFETY: `UiStrings` is `repr(C)` and each of its fields is a `Text`, one
                // per name in the names' order, so field i lies at i * size_of::<Text>()
                // with no padding, where item i of the array lies; size and alignment are
                // the array's (asserted above), so the allocation is freed as it was made.
                unsafe { Box::from_raw(Box::into_raw(texts).cast::<UiStrings>()) }
            }

            /// Every string, in the names' order.
            #[inline(never)]
            fn texts(&self) -> Vec<&Text> {
                vec![$(&self.$name),*]
            }

            /// The strings from a table of `[name, zh, en]` rows in this order (the built-in
            /// form, `content::embedded`); `None` if the rows are not these names.
            pub(crate) fn from_table(table: &[[&'static str; 3]]) -> Option<Box<UiStrings>> {
                let same = table.len() == Self::NAMES.len()
                    && table.iter().zip(Self::NAMES).all(|(row, name)| row[0] == *name);
                if !same {
                    return None;
                }
                let texts = table.iter().map(|[_, zh, en]| Text {
                    zh: Cow::Borrowed(*zh),
                    en: Cow::Borrowed(*en),
                });
                Some(UiStrings::from_texts(texts.collect()))
            }

            /// These strings with some replaced: (position in the names' order, zh, en), as
            /// the built-in form keeps the cancelling word set; `None` if a position is
            /// past the last name.
            pub(crate) fn with_changes(&self, changes: &[(usize, &'static str, &'static str)]) -> Option<Box<UiStrings>> {
                let mut texts: Vec<Text> = self.texts().into_iter().cloned().collect();
                for (i, zh, en) in changes {
                    *texts.get_mut(*i)? = Text {
                        zh: Cow::Borrowed(*zh),
                        en: Cow::Borrowed(*en),
                    };
                }
                Some(UiStrings::from_texts(texts))
            }

            /// Every string with its key, for the "zh and en are both there" check.
            pub fn all(&self) -> Vec<(&'static str, &Text)> {
                Self::NAMES.iter().copied().zip(self.texts()).collect()
            }

            /// The strings with the act's words filled in (`{act}`, `{done}`, `{noun}`), for
            /// a product that is closed or one that is cancelled; every other placeholder
            /// is left for its caller.
            pub fn with_closing(&self, closing: Closing) -> Box<UiStrings> {
                let words = self.closing_words(closing);
                let filled = self
                    .declared()
                    .into_iter()
                    .map(|(_, text, declared)| fill_words(text, declared, &words));
                UiStrings::from_texts(filled.collect())
            }

            /// Every string with its key and the placeholders it takes (`{hotline}`), which
            /// both languages must use, and no other.
            pub fn declared(&self) -> Vec<(&'static str, &Text, &'static [&'static str])> {
                Self::DECLARED
                    .iter()
                    .zip(self.texts())
                    .map(|((name, takes), text)| (*name, text, *takes))
                    .collect()
            }
        }
    };
}

ui_strings! {
    // Frame
    app_title, demo_mark, step_of: [n, m], enlarge: [w, h, cw, ch], not_the_bank,
    // Footer actions
    act_move, act_choose, act_continue, act_back, act_tick, act_help, act_lang, act_quit,
    act_log, act_next_field, act_filter, act_close, act_export, act_home, act_scroll,
    // Welcome
    welcome_title, welcome_intro: [products], welcome_new, welcome_saved, welcome_no_saved,
    welcome_reading_saved,
    welcome_damaged: [path, error], welcome_locked: [id], welcome_locked_at: [id, desk], welcome_products_sep,
    welcome_intro_kiosk: [products],
    // Product list
    picker_title, picker_filter, picker_none, picker_hint,
    // Case states
    state_in_progress, state_waiting_repayment, state_in_review, state_closed: [done],
    state_nothing_to_close: [act], state_needs_service, state_rejected,
    customer_tail: [tail],
    // navigate / consequences / followup
    nav_cant_find, nav_tick_all, cons_tick_all, follow_tick_all: [done], follow_still_open: [done],
    // debt
    debt_total: [amount], debt_check, debt_last_time: [amount], err_amount_empty, err_amount_negative,
    err_amount_not_number, err_amount_decimals, err_amount_too_large, err_amounts_invalid,
    debt_blocked_title: [amount, act], debt_blocked_body: [id, act], debt_blocked_action,
    // verify
    verify_question: [noun], method_payment_password, method_sms, method_face, method_agent_id,
    verify_never_type, verify_never_type_agent, verify_question_agent, verify_question_sent, verify_demo,
    // confirm
    confirm_prompt: [act], confirm_mismatch, contact_looks_secret,
    // contact
    contact_channels, contact_hotline: [hotline], hotline_check: [hotline], contact_prepare, contact_say, contact_reference,
    contact_done,
    // review
    review_submitted: [date], review_china_time, review_expected: [date, n], review_expected_by_law: [date, n], review_immediate, review_no_table: [year], review_question,
    review_closed: [done], review_rejected, review_waiting,
    // outcome
    outcome_home, outcome_home_demo, receipt_saved: [dir, txt, html], demo_not_saved, demo_welcome, debt_blocked_body_demo: [act], debt_blocked_body_kiosk: [act],
    outcome_back, outcome_back_demo,
    // Attract loop (`demo play`)
    tour_title, tour_hint, tour_off_script: [expected, actual], tour_no_code,
    // Help overlay
    help_title, help_text_fields, help_saved, help_text_fields_kiosk,
    // Log pane and events
    log_title: [shown, total], log_empty, agent_title, agent_none, agent_log, act_agent, act_code, act_resend,
    phone_title, phone_sms: [code, noun], phone_password: [code], phone_prompt, phone_tries: [n], phone_wrong, phone_locked,
    phone_resend_in: [s], phone_resend_now, phone_locked_password: [s], phone_short, phone_wait: [s],
    phone_no_resend, phone_caption, ev_started: [product], ev_entered: [step], ev_back: [step], ev_ticked: [item], ev_unticked: [item], ev_status: [option], ev_amounts: [amount],
    ev_blocked: [amount], ev_verified: [method], ev_acknowledged, ev_confirmed: [noun], ev_contacted: [reference], ev_submitted: [date],
    ev_review_closed: [done], ev_review_rejected, ev_review_waiting, ev_followup_ok: [noun],
    ev_followup_open: [noun], ev_cant_find, ev_outcome: [title], ev_resumed, ev_quit, ev_language: [lang],
    ev_content_changed: [steps],
    // Notices
    notice_save_failed: [error],
    notice_quit_unsaved: [error], notice_content_changed, notice_resumed, notice_step_gone,
    notice_product_gone: [id, product], notice_product_broken: [product],
    notice_product_broken_case: [id],
    notice_waiting_review: [date, id], notice_waiting_repayment: [id],
    fault_full: [detail], fault_read_only: [detail], fault_denied: [detail],
    fault_gone: [detail], fault_locked: [id], fault_damaged: [detail],
    // Plain mode (--plain): line-by-line prompts for screen readers
    plain_intro, plain_help, plain_about: [name, provider], plain_step_of: [n, m], plain_choose: [n], plain_choose_one, plain_type_number,
    plain_bad_number: [n], plain_filter, plain_no_match, plain_item: [i, n, text], plain_tick, plain_tick_read,
    plain_tick_escape: [label], plain_tick_again, plain_amount: [label], plain_amount_keep: [value], plain_amount_last: [value],
    plain_amount_empty, plain_amount_refused: [text, why], plain_continue, plain_blocked, plain_blocked_demo,
    plain_confirm: [act], plain_contact_done, plain_contact_note, plain_outcome, plain_outcome_demo,
    plain_code, plain_code_digits, plain_code_locked, plain_code_locked_prompt, plain_code_resend,
    plain_code_resend_in: [s], plain_code_wait_prompt, plain_not_yet: [s], plain_unknown: [text], plain_bye, plain_note_too_long: [n],
    plain_line_too_long: [size],
    plain_idle,
    plain_outcome_back, plain_outcome_back_demo,
    // The last word on stderr, after the screen is given back
    farewell_saved: [path], farewell_unsaved: [id, error], farewell_signal: [signal],
    farewell_signal_unsaved: [signal],
    // Receipt
    receipt_title: [noun], receipt_case, receipt_product, receipt_started, receipt_updated,
    receipt_state, receipt_steps, receipt_amounts, receipt_amounts_none, receipt_verification,
    receipt_submitted, receipt_expected, receipt_hotline, receipt_next, receipt_next_closed: [done],
    receipt_next_nothing: [act], receipt_reference, receipt_next_waiting: [id], receipt_next_service, receipt_next_repay: [id], receipt_next_continue: [id],
    receipt_next_waiting_desk: [id], receipt_next_repay_desk: [id], receipt_next_continue_desk: [id],
    receipt_provider, receipt_generated, receipt_amounts_zero, receipt_business_days: [n],
    receipt_business_days_by_law: [n],
    receipt_same_day, receipt_col_time: [offset], receipt_col_step, receipt_col_done, receipt_ticked: [n, of],
    receipt_followup,
    // Help overlay: the key list (keys from `keymap`)
    help_or, key_space, help_move, help_enter, help_back, help_tick, help_next_field,
    help_scroll, help_export, help_help, help_lang, help_log, help_agent, help_resend,
    help_quit,
    help_number,
    // A `wait` step: a refund, a dispute or a bill still pending (`steps/wait.rs`)
    wait_refund_question, wait_refund_pending, wait_refund_done, state_waiting_refund,
    receipt_next_refund: [id], receipt_next_refund_desk: [id], notice_waiting_refund: [id],
    wait_dispute_question, wait_dispute_pending, wait_dispute_done, state_waiting_dispute,
    receipt_next_dispute: [id], receipt_next_dispute_desk: [id], notice_waiting_dispute: [id],
    wait_bill_question, wait_bill_pending, wait_bill_done, state_waiting_bill,
    receipt_next_bill: [id], receipt_next_bill_desk: [id], notice_waiting_bill: [id],
    wait_last_time: [date], ev_wait_pending, ev_wait_done,
    ev_refund_pending, ev_refund_done, ev_dispute_pending, ev_dispute_done, ev_bill_pending,
    ev_bill_done,
    // The case book: notes on every step, who handled it, an end's reason, an overdue
    // review's words for the agent
    act_note, act_keep_note, act_drop_note, help_note, note_title, note_label, note_hint: [n],
    ev_note: [text], ev_reason: [text], log_by: [who],
    reason_rejected, reason_service, reason_hint, reason_hint_back, reason_kept: [text],
    agent_review_overdue: [hotline, sent, date],
    plain_note_usage, plain_text_too_long: [n], plain_reason,
    // The command line's errors (`main.rs`), in the person's language
    cli_bad_id: [id], cli_no_case: [id], cli_locked: [id], cli_damaged: [path, detail],
    cli_newer: [path, found, reads], cli_not_folder: [option, path, kind],
    cli_no_folder: [option, path], cli_kind_file, cli_kind_fifo, cli_kind_special,
    cli_path_not_text: [option], cli_path_empty: [option], cli_path_too_long: [option],
    cli_no_home, cli_content_problems: [n], cli_content_problems_one, cli_unknown_product: [id, known],
    cli_product_missing: [id, product],
    // The shared case book and `store copy` (`main.rs`)
    cli_locked_at: [id, desk], cli_store_trouble: [place, detail],
    cli_copy_summary: [copied, skipped, refused], cli_copy_refused: [id, detail],
    cli_copy_newer, cli_copy_other_case, cli_copy_renamed: [id, to],
    // The act's words, by product (`closing`), filled into the strings that name it
    closing_close_act, closing_close_done, closing_close_noun, closing_cancel_act,
    closing_cancel_done, closing_cancel_noun,
    // A `sent` step (`steps/sent.rs`), and a review counted from it or past its date
    // (`steps/review.rs`)
    sent_question, sent_format, sent_not_a_date, sent_future: [today], sent_too_old,
    ev_sent: [date], plain_sent_date: [value], plain_sent_date_again, review_sent: [date],
    review_overdue: [n], review_overdue_one, review_overdue_days_off, review_overdue_advice: [hotline],
    review_overdue_say: [sent, date], review_service, ev_review_service, receipt_sent,
    notice_waiting_overdue: [date],
    // A public terminal (`--kiosk`): no case id, no path, no way to quit, no staff command;
    // what a visitor cannot do here is done by staff at the desk (`ui/kiosk.rs`)
    enlarge_kiosk: [w, h, cw, ch], outcome_home_kiosk, outcome_back_kiosk,
    notice_kiosk_kept, notice_kiosk_waiting_review: [date], notice_kiosk_overdue: [date],
    notice_kiosk_save_failed, notice_kiosk_trouble, farewell_kiosk, farewell_kiosk_unsaved,
    // The receipt at a desk (issue 14): whose case, who worked it, when it was confirmed,
    // and where the customer, the agent and the branch sign and stamp the printed page
    receipt_customer, receipt_agent, receipt_desk, receipt_confirmed, receipt_sign,
    receipt_sign_customer, receipt_sign_agent, receipt_sign_date, receipt_sign_stamp,
    // Whose case (`wizard/update/home.rs`) and the worklist (`wizard/worklist.rs`)
    customer_title, customer_intro, customer_field, customer_product: [product],
    customer_looks_secret, customer_keys, plain_customer, plain_customer_too_long: [n],
    ev_customer: [who], ev_archived, act_archive, help_home, help_archive,
    queue_overdue, queue_due_today, queue_waiting_repayment, queue_waiting,
    queue_needs_service, queue_in_review, queue_in_progress, queue_refused,
    work_heading: [name, n], work_late: [n], work_late_one, work_late_days_off,
    work_due_today, work_expected: [date], work_updated: [date], work_agent: [agent],
    work_search, work_search_hint, work_none_found, work_archive_ask: [id],
    work_more_above: [n], work_more_below: [n], work_held_back: [n], plain_work_search,
}

/// Every name's text, in the order of `names`: an unknown name, a repeated one or a
/// missing one is an error at its place, as `#[serde(deny_unknown_fields)]` would say it.
fn texts_in_order<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<Vec<Text>, D::Error> {
    use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
    use std::fmt;

    struct Table(&'static [&'static str]);
    /// A key, as its position in the names; deserialized inside `next_key_seed`, so an
    /// unknown one is reported at the key.
    struct Key<'a>(&'a HashMap<&'static str, usize>, &'static [&'static str]);

    impl<'de> DeserializeSeed<'de> for Key<'_> {
        type Value = usize;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_identifier(self)
        }
    }
    impl Visitor<'_> for Key<'_> {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("the name of a UI string")
        }
        fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
            self.0
                .get(key)
                .copied()
                .ok_or_else(|| E::unknown_field(key, self.1))
        }
    }
    impl<'de> Visitor<'de> for Table {
        type Value = Vec<Text>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a table of UI strings")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Text>, A::Error> {
            let index: HashMap<&'static str, usize> =
                self.0.iter().enumerate().map(|(i, n)| (*n, i)).collect();
            let mut slots: Vec<Option<Text>> = vec![None; self.0.len()];
            while let Some(i) = map.next_key_seed(Key(&index, self.0))? {
                if slots[i].is_some() {
                    return Err(de::Error::duplicate_field(self.0[i]));
                }
                slots[i] = Some(map.next_value()?);
            }
            slots
                .into_iter()
                .zip(self.0)
                .map(|(slot, name)| slot.ok_or_else(|| de::Error::missing_field(name)))
                .collect()
        }
    }
    deserializer.deserialize_struct("UiStrings", names, Table(names))
}

/// The placeholders that name the act, filled once per word set when content is loaded.
const ACT_WORDS: [&str; 3] = ["act", "done", "noun"];

/// `text` with those of the act's words it declares filled in, in each language.
fn fill_words(text: &Text, declared: &[&str], words: &[(&str, &Text); 3]) -> Text {
    let mut out = text.clone();
    for (name, word) in words.iter().filter(|(n, _)| declared.contains(n)) {
        let mark = format!("{{{name}}}");
        out.zh = out.zh.replace(&mark, &word.zh).into();
        out.en = out.en.replace(&mark, &word.en).into();
    }
    out
}

impl UiStrings {
    /// The word set of a closing: what the act, its state and its noun are called.
    fn closing_words(&self, closing: Closing) -> [(&'static str, &Text); 3] {
        let [act, done, noun] = ACT_WORDS;
        match closing {
            Closing::Close => [
                (act, &self.closing_close_act),
                (done, &self.closing_close_done),
                (noun, &self.closing_close_noun),
            ],
            Closing::Cancel => [
                (act, &self.closing_cancel_act),
                (done, &self.closing_cancel_done),
                (noun, &self.closing_cancel_noun),
            ],
        }
    }

    pub fn parse(path: &str, source: &str) -> Result<UiStrings, Vec<Diagnostic>> {
        let (strings, _) = super::parse_toml::<UiStrings>(path, source)?;
        let blank: Vec<Diagnostic> = strings
            .all()
            .into_iter()
            .filter(|(_, t)| t.is_blank())
            .map(|(key, _)| {
                let at = source.find(&format!("\n{key} ")).map_or(0, |i| i + 1);
                Diagnostic::at(
                    path,
                    source,
                    at..at,
                    format!("`{key}` needs non-empty `zh` and `en`"),
                )
            })
            .collect();
        if !blank.is_empty() {
            return Err(blank);
        }
        let wrong = placeholder_problems(path, source, &strings);
        if wrong.is_empty() {
            Ok(strings)
        } else {
            Err(wrong)
        }
    }
}

/// What is wrong with one string's placeholders in one language.
struct Wrong {
    key: &'static str,
    lang: Lang,
    /// What to look for in the file to point at it (`{hotlin}`, `{`), and which occurrence
    /// of it in the string; `None`: point at the string itself.
    find: Option<(String, usize)>,
    message: String,
}

/// Every `{…}` that is not a placeholder its string takes, and every placeholder a string
/// takes but leaves out, at its place in `source`.
fn placeholder_problems(path: &str, source: &str, strings: &UiStrings) -> Vec<Diagnostic> {
    let mut wrong = Vec::new();
    for (key, text, declared) in strings.declared() {
        let takes = if declared.is_empty() {
            "it takes no placeholders".to_owned()
        } else {
            let names: Vec<String> = declared.iter().map(|n| format!("`{{{n}}}`")).collect();
            format!("it takes {}", names.join(", "))
        };
        for lang in [Lang::Zh, Lang::En] {
            let s = text.get(lang);
            for (at, name) in placeholders(s) {
                let (literal, message) = match name {
                    Some(name) if declared.contains(&name) => continue,
                    Some(name) => (
                        format!("{{{name}}}"),
                        format!("unknown placeholder `{{{name}}}`; {takes}"),
                    ),
                    None => (
                        "{".to_owned(),
                        format!(
                            "`{{` without a closing `}}`: a placeholder is `{{name}}`; {takes}"
                        ),
                    ),
                };
                let nth = s[..at].matches(literal.as_str()).count();
                wrong.push(Wrong {
                    key,
                    lang,
                    find: Some((literal, nth)),
                    message,
                });
            }
            // A misspelt one is said once, not also as the one left out.
            let misspelt = wrong
                .last()
                .is_some_and(|w: &Wrong| w.key == key && w.lang == lang);
            for name in declared.iter().filter(|_| !misspelt) {
                if !s.contains(&format!("{{{name}}}")) {
                    wrong.push(Wrong {
                        key,
                        lang,
                        find: None,
                        message: format!("leaves out `{{{name}}}`; {takes}, in both languages"),
                    });
                }
            }
        }
    }
    if wrong.is_empty() {
        return Vec::new();
    }
    // Only now is the file read again for where each string is.
    #[derive(Deserialize)]
    struct Placed {
        zh: Spanned<String>,
        en: Spanned<String>,
    }
    let placed: HashMap<String, Placed> = toml::from_str(source).unwrap_or_default();
    wrong
        .into_iter()
        .map(|w| {
            let value = placed.get(w.key).map(|p| match w.lang {
                Lang::Zh => p.zh.span(),
                Lang::En => p.en.span(),
            });
            let at = match (value, &w.find) {
                (Some(span), Some((literal, nth))) => source
                    .get(span.clone())
                    .and_then(|raw| raw.match_indices(literal.as_str()).nth(*nth))
                    .map_or(span.start, |(i, _)| span.start + i),
                (Some(span), None) => span.start,
                (None, _) => 0,
            };
            Diagnostic::at(
                path,
                source,
                at..at,
                format!("`{}` ({}): {}", w.key, w.lang.code(), w.message),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::builtin;
    use crate::content::diagnostic::line_col;

    fn parse(source: &str) -> Result<UiStrings, Vec<String>> {
        UiStrings::parse("ui.toml", source).map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    /// The built-in file with `from` (which must occur once) replaced by `to`.
    fn changed(from: &str, to: &str) -> String {
        let source = builtin::UI.1;
        assert_eq!(source.matches(from).count(), 1, "{from}");
        source.replace(from, to)
    }

    /// `path:line:col` of the first occurrence of `needle` in `source`.
    fn place_of(source: &str, needle: &str) -> String {
        let (line, col) = line_col(source, source.find(needle).expect(needle));
        format!("ui.toml:{line}:{col}")
    }

    #[test]
    fn the_built_in_strings_use_just_the_placeholders_they_declare() {
        let strings = parse(builtin::UI.1).expect("the built-in ui.toml loads");
        // And the list declares some: the check has something to hold to.
        let declared = strings.declared();
        let hotline = declared.iter().find(|(k, _, _)| *k == "contact_hotline");
        assert_eq!(hotline.map(|(_, _, p)| *p), Some(&["hotline"][..]));
    }

    #[test]
    fn a_misspelt_placeholder_is_an_error_at_its_line_and_column() {
        let source = changed("en = \"Hotline: {hotline}\"", "en = \"Hotline: {hotlin}\"");
        let errors = parse(&source).unwrap_err();
        assert_eq!(
            errors,
            [format!(
                "{}: error: `contact_hotline` (en): unknown placeholder `{{hotlin}}`; it takes \
                 `{{hotline}}`",
                place_of(&source, "{hotlin}")
            )]
        );
        // Counted here by hand, not by the code under test: the line the typo is on.
        let line = source[..source.find("{hotlin}").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert!(
            errors[0].starts_with(&format!("ui.toml:{line}:")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_placeholder_left_out_or_never_closed_or_not_taken_is_an_error() {
        // Left out of the Chinese: reported where that text starts.
        let source = changed("zh = \"客服电话：{hotline}\"", "zh = \"客服电话：\"");
        assert_eq!(
            parse(&source).unwrap_err(),
            [format!(
                "{}: error: `contact_hotline` (zh): leaves out `{{hotline}}`; it takes \
                 `{{hotline}}`, in both languages",
                place_of(&source, "\"客服电话：\"")
            )]
        );
        // A brace never closed.
        let source = changed("en = \"{n} tries left.\"", "en = \"{n} tries { left.\"");
        let errors = parse(&source).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(&format!(
                "{}: error: `phone_tries` (en): `{{` without a closing `}}`",
                place_of(&source, "{ left")
            )),
            "{errors:?}"
        );
        // A string that takes none, given one; the second of two in one text.
        let source = changed(
            "act_move = { zh = \"移动\", en = \"move\" }",
            "act_move = { zh = \"移动\", en = \"{n} move {n}\" }",
        );
        let errors = parse(&source).unwrap_err();
        let first = place_of(&source, "{n} move");
        let (line, col) = line_col(&source, source.find("{n}\" }").unwrap());
        assert_eq!(
            errors,
            [
                format!(
                    "{first}: error: `act_move` (en): unknown placeholder `{{n}}`; it takes no \
                     placeholders"
                ),
                format!(
                    "ui.toml:{line}:{col}: error: `act_move` (en): unknown placeholder `{{n}}`; \
                     it takes no placeholders"
                ),
            ]
        );
    }
}
