//! Every sentence of the interface, in `content/ui.toml`, checked at load time.
//!
//! The struct is generated from one list of names, so a string the code uses but the file
//! lacks is a load error with a line number, never a blank on screen.

use serde::Deserialize;

use super::diagnostic::Diagnostic;
use super::text::Text;

macro_rules! ui_strings {
    ($($name:ident),* $(,)?) => {
        #[derive(Debug, Clone, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct UiStrings {
            $(pub $name: Text,)*
        }

        impl UiStrings {
            /// Every string with its key, for the "zh and en are both there" check.
            pub fn all(&self) -> Vec<(&'static str, &Text)> {
                vec![$((stringify!($name), &self.$name)),*]
            }
        }
    };
}

ui_strings! {
    // Frame
    app_title, demo_mark, step_of, enlarge, not_the_bank,
    // Footer actions
    act_move, act_choose, act_continue, act_back, act_tick, act_help, act_lang, act_quit,
    act_log, act_next_field, act_filter, act_close, act_export, act_home, act_scroll,
    // Welcome
    welcome_title, welcome_intro, welcome_new, welcome_saved, welcome_no_saved,
    welcome_damaged, welcome_locked,
    // Product list
    picker_title, picker_filter, picker_none, picker_hint,
    // Case states
    state_in_progress, state_waiting_repayment, state_in_review, state_closed,
    state_nothing_to_close, state_needs_service, state_rejected,
    // navigate / consequences / followup
    nav_cant_find, nav_tick_all, cons_tick_all, follow_tick_all, follow_still_open,
    // debt
    debt_total, debt_check, debt_last_time, err_amount_empty, err_amount_negative,
    err_amount_not_number, err_amount_decimals, err_amount_too_large, err_amounts_invalid,
    debt_blocked_title, debt_blocked_body, debt_blocked_action,
    // verify
    verify_question, method_payment_password, method_sms, method_face, method_agent_id,
    verify_never_type, verify_never_type_agent, verify_question_agent, verify_demo,
    // confirm
    confirm_prompt, confirm_mismatch, contact_looks_secret,
    // contact
    contact_channels, contact_hotline, hotline_check, contact_prepare, contact_say, contact_reference,
    contact_done,
    // review
    review_submitted, review_expected, review_immediate, review_no_table, review_question,
    review_closed, review_rejected, review_waiting,
    // outcome
    outcome_home, outcome_home_demo, receipt_saved, demo_not_saved, demo_welcome, debt_blocked_body_demo,
    // Attract loop (`demo play`)
    tour_title, tour_hint, tour_off_script, tour_no_code,
    // Help overlay
    help_title, help_text_fields, help_saved,
    // Log pane and events
    log_title, log_empty, agent_title, agent_none, agent_log, act_agent, act_code, act_resend,
    phone_title, phone_sms, phone_password, phone_prompt, phone_tries, phone_wrong, phone_locked,
    phone_resend_in, phone_resend_now, ev_started, ev_entered, ev_back, ev_ticked, ev_unticked, ev_status, ev_amounts,
    ev_blocked, ev_verified, ev_acknowledged, ev_confirmed, ev_contacted, ev_submitted,
    ev_review_closed, ev_review_rejected, ev_review_waiting, ev_followup_ok,
    ev_followup_open, ev_cant_find, ev_outcome, ev_resumed, ev_quit, ev_language,
    ev_content_changed,
    // Notices
    notice_save_failed,
    notice_quit_unsaved, notice_content_changed, notice_resumed, notice_step_gone,
    notice_product_gone,
    notice_review_overdue, notice_waiting_review, notice_waiting_repayment,
    // Plain mode (--plain): line-by-line prompts for screen readers
    plain_intro, plain_help, plain_step_of, plain_choose, plain_choose_one, plain_type_number,
    plain_bad_number, plain_filter, plain_no_match, plain_item, plain_tick, plain_tick_read,
    plain_tick_escape, plain_tick_again, plain_amount, plain_amount_keep, plain_amount_last,
    plain_amount_empty, plain_amount_refused, plain_continue, plain_blocked, plain_blocked_demo,
    plain_confirm, plain_contact_done, plain_contact_note, plain_outcome, plain_outcome_demo,
    plain_code, plain_code_digits, plain_code_locked, plain_code_locked_prompt, plain_code_resend,
    plain_code_resend_in, plain_not_yet, plain_unknown, plain_bye, plain_note_too_long,
    plain_line_too_long,
    plain_idle,
    // The last word on stderr, after the screen is given back
    farewell_saved, farewell_unsaved, farewell_signal,
    // Receipt
    receipt_title, receipt_case, receipt_product, receipt_started, receipt_updated,
    receipt_state, receipt_steps, receipt_amounts, receipt_amounts_none, receipt_verification,
    receipt_submitted, receipt_expected, receipt_hotline, receipt_next, receipt_next_closed,
    receipt_next_nothing, receipt_reference, receipt_next_waiting, receipt_next_service, receipt_next_repay, receipt_next_continue,
    receipt_provider, receipt_generated, receipt_amounts_zero, receipt_business_days,
    receipt_same_day, receipt_col_time, receipt_col_step, receipt_col_done, receipt_ticked,
    receipt_followup,
    // Help overlay: the key list (keys from `keymap`)
    help_or, key_space, help_move, help_enter, help_back, help_tick, help_next_field,
    help_scroll, help_export, help_help, help_lang, help_log, help_agent, help_resend,
    help_quit,
}

impl UiStrings {
    pub fn parse(path: &str, source: &str) -> Result<UiStrings, Vec<Diagnostic>> {
        let strings: UiStrings = toml::from_str(source).map_err(|e| {
            vec![Diagnostic::at(
                path,
                source,
                e.span().unwrap_or(0..0),
                e.message().trim_end(),
            )]
        })?;
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
        if blank.is_empty() {
            Ok(strings)
        } else {
            Err(blank)
        }
    }
}
