//! Validation: every rule, with the line and column it reports.

use super::*;

/// A small valid product; tests break it one way at a time.
const BASE: &str = r#"[product]
id = "demo"
name = { zh = "演示", en = "Demo" }
provider = { zh = "演示银行", en = "Demo Bank" }
platform = { id = "demo", name = { zh = "演示", en = "Demo" } }
summary = { zh = "一个例子。", en = "An example." }
hotline = "000"

[[steps]]
id = "intro"
kind = "intro"
title = { zh = "开始", en = "Start" }

[[steps]]
id = "status"
kind = "status"
title = { zh = "状态", en = "Status" }
options = [
  { label = { zh = "正常", en = "Normal" }, next = "debt" },
  { label = { zh = "已关闭", en = "Closed" }, next = "nothing" },
]

[[steps]]
id = "debt"
kind = "debt"
title = { zh = "欠款", en = "Debt" }
fields = [{ id = "principal", label = { zh = "本金", en = "Principal" } }]
repay = { zh = "先还款。", en = "Repay first." }

[[steps]]
id = "verify"
kind = "verify"
title = { zh = "验证", en = "Verify" }
methods = ["payment_password"]

[[steps]]
id = "confirm"
kind = "confirm"
title = { zh = "确认", en = "Confirm" }

[[steps]]
id = "review"
kind = "review"
title = { zh = "等待", en = "Wait" }
business_days = 3
rejected = "nothing"
next = "closed"
overdue = "nothing"

[[steps]]
id = "closed"
kind = "outcome"
result = "closed"
title = { zh = "已关闭", en = "Closed" }

[[steps]]
id = "nothing"
kind = "outcome"
result = "nothing_to_close"
title = { zh = "无需关闭", en = "Nothing to close" }
"#;

fn check(text: &str) -> Vec<String> {
    let sources = Sources {
        ui: None,
        calendar: None,
        products: vec![SourceFile {
            path: "p.toml".into(),
            text: text.into(),
        }],
    };
    match Content::load(sources) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

/// Line and column of the first occurrence of `needle` in `text`, as the validator counts.
fn pos(text: &str, needle: &str) -> String {
    let at = text.find(needle).expect("needle in text");
    let (l, c) = diagnostic::line_col(text, at);
    format!("p.toml:{l}:{c}")
}

#[test]
fn the_base_product_is_valid() {
    assert_eq!(check(BASE), Vec::<String>::new());
}

#[test]
fn the_builtin_content_is_valid_and_has_the_seven_products() {
    let content = Content::builtin().unwrap();
    let mut ids: Vec<&str> = content.products.iter().map(|p| p.id()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "baitiao",
            "huabei",
            "jiebei",
            "wangshangdai",
            "weilidai",
            "xiaomi-beiyongjin",
            "xiaomi-fenqi"
        ]
    );
}

#[test]
fn syntax_errors_point_at_the_spot() {
    let text = BASE.replace("hotline = \"000\"", "hotline = \"000");
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with(&pos(&text, "hotline")[..9]), "{errs:?}");
}

#[test]
fn unknown_keys_are_errors() {
    let text = BASE.replace("hotline = \"000\"", "hotline = \"000\"\ncolour = \"red\"");
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with(&pos(&text, "colour")), "{errs:?}");
    assert!(errs[0].contains("unknown field `colour`"), "{errs:?}");
}

#[test]
fn a_missing_language_is_an_error() {
    let text = BASE.replace(
        r#"title = { zh = "欠款", en = "Debt" }"#,
        r#"title = { zh = "欠款" }"#,
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("missing field `en`"), "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, r#"{ zh = "欠款" }"#)),
        "{errs:?}"
    );
}

#[test]
fn an_empty_text_is_an_error() {
    let text = BASE.replace(r#"en = "Debt""#, r#"en = " ""#);
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("step `debt`: `title` needs non-empty `zh` and `en`"),
        "{errs:?}"
    );
}

#[test]
fn unknown_step_kinds_are_errors() {
    let text = BASE.replace(r#"kind = "confirm""#, r#"kind = "confrim""#);
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with(&pos(&text, "\"confrim\"")), "{errs:?}");
    assert!(errs[0].contains("confrim"), "{errs:?}");
}

#[test]
fn duplicate_step_ids_are_errors() {
    let text = BASE.replace(r#"id = "confirm""#, r#"id = "verify""#);
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("duplicate step id `verify`")),
        "{errs:?}"
    );
}

#[test]
fn duplicate_product_ids_across_files_are_errors() {
    let file = |path: &str| SourceFile {
        path: path.into(),
        text: BASE.into(),
    };
    let errs = Content::load(Sources {
        ui: None,
        calendar: None,
        products: vec![file("a.toml"), file("b.toml")],
    })
    .unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].path, "b.toml");
    assert!(
        errs[0]
            .message
            .contains("duplicate product id `demo` (also in a.toml)")
    );
}

#[test]
fn a_branch_to_a_missing_step_is_an_error() {
    let text = BASE.replace(r#"next = "nothing""#, r#"next = "nowhere""#);
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with(&pos(&text, "\"nowhere\"")), "{errs:?}");
    assert!(errs[0].contains("no step with id `nowhere`"));
}

#[test]
fn an_unreachable_step_is_an_error() {
    // Nothing leads to `nothing` once the two branches point elsewhere.
    let text = BASE
        .replace(r#"next = "nothing""#, r#"next = "closed""#)
        .replace(r#"rejected = "nothing""#, r#"rejected = "closed""#)
        .replace(r#"overdue = "nothing""#, r#"overdue = "closed""#);
    let errs = check(&text);
    // (The refusal now leads to `closed` unconfirmed, which the safety rule reports too.)
    let unreachable: Vec<&String> = errs
        .iter()
        .filter(|e| e.contains("can never be reached"))
        .collect();
    assert_eq!(unreachable.len(), 1, "{errs:?}");
    assert!(
        unreachable[0].starts_with(&pos(&text, "\"nothing\"")),
        "{errs:?}"
    );
}

#[test]
fn a_flow_that_skips_debt_is_unsafe() {
    let text = BASE.replace(
        "  { label = { zh = \"正常\", en = \"Normal\" }, next = \"debt\" },",
        "  { label = { zh = \"正常\", en = \"Normal\" }, next = \"debt\" },\n  { label = { zh = \"跳过\", en = \"Skip\" }, next = \"confirm\" },",
    );
    let errs = check(&text);
    // The confirm step, and the review and the closed outcome after it, are all reachable
    // unchecked.
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(errs[1].contains("step `review` (review)"), "{errs:?}");
    assert!(
        errs[2].contains("step `closed` (outcome, result `closed`)"),
        "{errs:?}"
    );
    assert!(errs[0].contains("unsafe flow: step `confirm` (confirm) can be reached without passing a `debt` and a `verify` step"), "{errs:?}");
    let at = text.find("kind = \"confirm\"").unwrap() + "kind = ".len();
    let (line, col) = diagnostic::line_col(&text, at);
    assert!(
        errs[0].starts_with(&format!("p.toml:{line}:{col}: error:")),
        "{errs:?}"
    );
}

#[test]
fn a_flow_that_skips_verify_is_unsafe() {
    let text = BASE
        .replace(
            "methods = [\"payment_password\"]",
            "methods = [\"payment_password\"]\nnext = \"review\"",
        )
        .replace(
            "[[steps]]\nid = \"debt\"",
            "[[steps]]\nid = \"debt\"\nnext = \"confirm\"",
        );
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("without passing a `verify` step")),
        "{errs:?}"
    );
}

#[test]
fn a_last_step_that_is_not_an_outcome_is_a_dead_end() {
    let text = format!(
        "{BASE}\n[[steps]]\nid = \"extra\"\nkind = \"intro\"\ntitle = {{ zh = \"多余\", en = \"Extra\" }}\n"
    )
    .replace(r#"rejected = "nothing""#, r#"rejected = "extra""#);
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("dead end: step `extra` is the last one")),
        "{errs:?}"
    );
}

#[test]
fn a_loop_without_an_outcome_is_a_dead_end() {
    let text = BASE.replace(
        "methods = [\"payment_password\"]",
        "methods = [\"payment_password\"]\nnext = \"debt\"",
    );
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("dead end: no `outcome` step can be reached from `debt`")),
        "{errs:?}"
    );
}

#[test]
fn fields_of_another_kind_are_refused() {
    let text = BASE.replace(
        "methods = [\"payment_password\"]",
        "methods = [\"payment_password\"]\nbusiness_days = 2",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("`business_days` is not used by a `verify` step"),
        "{errs:?}"
    );
    // Said as English says it before a vowel.
    let text = BASE.replace(
        "result = \"closed\"",
        "result = \"closed\"\nbusiness_days = 2",
    );
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("`business_days` is not used by an `outcome` step")),
        "{errs:?}"
    );
}

#[test]
fn required_fields_are_required() {
    let text = BASE.replace("business_days = 3\n", "");
    let errs = check(&text);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].contains("a `review` step needs `business_days`"),
        "{errs:?}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = BASE
        .replace(r#"next = "nothing""#, r#"next = "nowhere""#)
        .replace("business_days = 3\n", "");
    assert_eq!(check(&text).len(), 2);
}

#[test]
fn changing_one_step_changes_only_its_fingerprint() {
    let a = parse_product("p", BASE).unwrap();
    let b = parse_product("p", &BASE.replace("Repay first.", "Please repay first.")).unwrap();
    assert_ne!(a.fingerprint(), b.fingerprint());
    for step in ["intro", "status", "verify", "confirm"] {
        assert_eq!(a.step_fingerprint(step), b.step_fingerprint(step), "{step}");
    }
    assert_ne!(a.step_fingerprint("debt"), b.step_fingerprint("debt"));
}

#[test]
fn ui_strings_missing_a_key_are_reported() {
    let ui = builtin::UI.1.replace("act_move = ", "act_mvoe = ");
    let errs = UiStrings::parse("ui.toml", &ui).unwrap_err();
    assert!(errs[0].message.contains("act_mvoe"), "{errs:?}");
}

#[test]
fn a_flow_that_reaches_review_unchecked_is_unsafe() {
    // Entering review records the submission, so it needs the same checks as confirm.
    let text = BASE.replace(r#"next = "nothing""#, r#"next = "review""#);
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("step `review` (review) can be reached without passing")),
        "{errs:?}"
    );
}

#[test]
fn progress_counts_steps_walked_and_the_usual_path_ahead() {
    let p = parse_product("p", BASE).unwrap();
    // intro → status → debt → verify → confirm → review, then the end screen.
    assert_eq!(p.progress(p.step("intro").unwrap(), 0), (1, 7));
    assert_eq!(p.progress(p.step("debt").unwrap(), 2), (3, 7));
    // A branch to an outcome ends the count there.
    assert_eq!(p.progress(p.step("nothing").unwrap(), 2), (3, 3));
}

#[test]
fn every_builtin_step_has_agent_notes_in_both_languages() {
    // The help-desk panel shows `agent` beside every screen; a step without it leaves the
    // agent with nothing to say, so the built-in content covers every step.
    let content = Content::builtin().unwrap();
    let mut missing = Vec::new();
    for product in &content.products {
        for step in product.steps() {
            match &step.agent {
                Some(t) if !t.zh.trim().is_empty() && !t.en.trim().is_empty() => {}
                Some(_) => missing.push(format!(
                    "{}/{} (a language is empty)",
                    product.id(),
                    step.id()
                )),
                None => missing.push(format!("{}/{}", product.id(), step.id())),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} steps lack `agent` notes: {}",
        missing.len(),
        missing.join(", ")
    );
}

#[test]
fn an_unconfirmed_hotline_comes_with_the_advice_to_check_it() {
    let content = Content::builtin().unwrap();
    let ui = &content.ui;
    let text = |id: &str, lang| content.product(id).unwrap().info.hotline_text(ui, lang);
    // Low confidence in DOMAIN.md: MYbank (Alipay's number) and both Xiaomi accounts.
    for id in ["wangshangdai", "xiaomi-beiyongjin", "xiaomi-fenqi"] {
        assert!(text(id, Lang::En).contains("check this number"), "{id}");
        assert!(text(id, Lang::Zh).contains("核对"), "{id}");
    }
    assert_eq!(text("huabei", Lang::En), "95188");
    assert_eq!(text("weilidai", Lang::Zh), "95384");
}

/// BASE with a `wait` step between debt and verify, as `wait` reads in a file.
fn with_wait(table: &str) -> String {
    BASE.replace(
        "[[steps]]\nid = \"verify\"",
        &format!("[[steps]]\nid = \"refund\"\nkind = \"wait\"\ntitle = {{ zh = \"退款\", en = \"Refund\" }}\n{table}\n[[steps]]\nid = \"verify\""),
    )
}

#[test]
fn a_wait_step_names_what_it_waits_for() {
    assert_eq!(
        check(&with_wait("waiting_for = \"refund\"\n")),
        Vec::<String>::new()
    );
    let errs = check(&with_wait(""));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("a `wait` step needs `waiting_for`"),
        "{errs:?}"
    );
    let text = with_wait("waiting_for = \"parcel\"\n");
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with(&pos(&text, "\"parcel\"")), "{errs:?}");
    // Only a wait step takes it.
    let text = BASE.replace(
        "methods = [\"payment_password\"]",
        "methods = [\"payment_password\"]\nwaiting_for = \"refund\"",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("`waiting_for` is not used by a `verify` step"),
        "{errs:?}"
    );
}

#[test]
fn a_wait_step_is_no_debt_check() {
    // Waiting instead of checking the debt leaves the flow unsafe.
    let text = with_wait("waiting_for = \"refund\"\n").replace(
        "[[steps]]\nid = \"debt\"\nkind = \"debt\"\ntitle = { zh = \"欠款\", en = \"Debt\" }\nfields = [{ id = \"principal\", label = { zh = \"本金\", en = \"Principal\" } }]\nrepay = { zh = \"先还款。\", en = \"Repay first.\" }\n\n",
        "",
    ).replace("next = \"debt\"", "next = \"refund\"");
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("without passing a `debt` step")),
        "{errs:?}"
    );
}

#[test]
fn product_texts_take_no_placeholders() {
    let text = BASE.replace(
        r#"title = { zh = "验证", en = "Verify" }"#,
        r#"title = { zh = "验证", en = "Call {hotline}" }"#,
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    // At the string that holds it, not at the step.
    assert!(
        errs[0].starts_with(&pos(&text, "\"Call {hotline}\"")),
        "{errs:?}"
    );
    assert!(
        errs[0].contains(
            "step `verify`: `title`: product texts take no placeholders: `{hotline}` in the en text"
        ),
        "{errs:?}"
    );
    // In both languages of a `say`: each reported, each where it is.
    let text = BASE.replace(
        r#"title = { zh = "确认", en = "Confirm" }"#,
        "title = { zh = \"确认\", en = \"Confirm\" }\nbody = { zh = \"拨打 {hotline}\", en = \"Call {hotline}\" }",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, "\"拨打 {hotline}\"")),
        "{errs:?}"
    );
    assert!(
        errs[1].starts_with(&pos(&text, "\"Call {hotline}\"")),
        "{errs:?}"
    );
    // A product text: at its string too.
    let text = BASE.replace(
        r#"summary = { zh = "一个例子。", en = "An example." }"#,
        r#"summary = { zh = "一个例子。", en = "An {example}." }"#,
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, "\"An {example}.\"")),
        "{errs:?}"
    );
}

/// BASE with one more status option, `label` leading to `target`.
fn with_option(label: &str, target: &str) -> String {
    BASE.replace(
        "  { label = { zh = \"已关闭\", en = \"Closed\" }, next = \"nothing\" },",
        &format!(
            "  {{ label = {{ zh = \"{label}\", en = \"{label}\" }}, next = \"{target}\" }},\n  {{ label = {{ zh = \"已关闭\", en = \"Closed\" }}, next = \"nothing\" }},"
        ),
    )
}

#[test]
fn a_status_option_straight_to_a_closed_outcome_is_unsafe() {
    let text = with_option("已经关了", "closed");
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, "\"closed\"\ntitle")),
        "{errs:?}"
    );
    assert!(
        errs[0].contains(
            "unsafe flow: step `closed` (outcome, result `closed`) can be reached without \
             passing a `debt`, a `verify` and a `confirm` or `contact` step"
        ),
        "{errs:?}"
    );
}

#[test]
fn a_product_of_one_closed_outcome_is_unsafe() {
    let start = BASE.find("[[steps]]").unwrap();
    let text = format!(
        "{}[[steps]]\nid = \"closed\"\nkind = \"outcome\"\nresult = \"closed\"\ntitle = {{ zh = \"已关闭\", en = \"Closed\" }}\n",
        &BASE[..start]
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("step `closed` (outcome, result `closed`)"),
        "{errs:?}"
    );
}

#[test]
fn a_closed_outcome_needs_the_confirmation_after_the_checks() {
    // Debt and verify passed, but the status after them jumps to the end.
    let text = BASE.replace(
        "[[steps]]\nid = \"confirm\"",
        "[[steps]]\nid = \"done\"\nkind = \"status\"\ntitle = { zh = \"好了\", en = \"Done?\" }\noptions = [\n  { label = { zh = \"继续\", en = \"Go on\" }, next = \"confirm\" },\n  { label = { zh = \"已关\", en = \"Closed\" }, next = \"closed\" },\n]\n\n[[steps]]\nid = \"confirm\"",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("without passing a `confirm` or `contact` step"),
        "{errs:?}"
    );
}

#[test]
fn a_review_needs_a_confirmation_before_it() {
    let text = BASE.replace(
        "[[steps]]\nid = \"confirm\"\nkind = \"confirm\"\ntitle = { zh = \"确认\", en = \"Confirm\" }\n\n",
        "",
    );
    let errs = check(&text);
    // The review, and the closed outcome after it.
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(
        errs[0].contains(
            "unsafe flow: step `review` (review) can be reached without passing a `confirm` or `contact` step"
        ),
        "{errs:?}"
    );
}

#[test]
fn a_refusal_leading_to_a_closed_outcome_is_unsafe() {
    let text = BASE.replace(r#"rejected = "nothing""#, r#"rejected = "closed""#);
    let errs = check(&text);
    // `nothing` is now reached by the status option only; the closed outcome by the refusal.
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("without passing a `confirm` or `contact` step since a way out that says it did not work"),
        "{errs:?}"
    );
    // Confirming again after the refusal is enough.
    let again = BASE.replace(r#"rejected = "nothing""#, r#"rejected = "confirm""#);
    let errs = check(&again);
    assert!(errs.iter().all(|e| !e.contains("unsafe")), "{errs:?}");
}

#[test]
fn a_followup_still_open_leading_to_a_closed_outcome_is_unsafe() {
    let text = BASE.replace(
        "[[steps]]\nid = \"closed\"",
        "[[steps]]\nid = \"followup\"\nkind = \"followup\"\ntitle = { zh = \"检查\", en = \"Check\" }\nitems = [{ zh = \"已关闭\", en = \"Closed\" }]\nstill_open = \"closed\"\n\n[[steps]]\nid = \"closed\"",
    ).replace("next = \"closed\"\n", "next = \"followup\"\n");
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("step `closed` (outcome"), "{errs:?}");
    // A followup without its "still open" row cannot say it did not work.
    let text = text.replace("still_open = \"closed\"\n", "");
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("a `followup` step needs `still_open`")),
        "{errs:?}"
    );
}

#[test]
fn the_confirmation_is_played_by_confirm_contact_and_sent_only() {
    use crate::steps::{Safety, safety};
    for kind in [StepKind::Confirm, StepKind::Contact, StepKind::Sent] {
        assert_eq!(safety(kind), Safety::Confirmation, "{kind:?}");
        assert!(safety(kind).needs_checks());
    }
    for kind in [StepKind::Review, StepKind::Followup] {
        assert_eq!(safety(kind), Safety::Guarded, "{kind:?}");
    }
}

#[test]
fn a_status_option_without_a_target_is_an_error() {
    let text = BASE.replace(
        "  { label = { zh = \"正常\", en = \"Normal\" }, next = \"debt\" },",
        "  { label = { zh = \"正常\", en = \"Normal\" } },",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, "{ label = { zh = \"正常\"")),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("step `status`: option 1 has no `next`"),
        "{errs:?}"
    );
}

#[test]
fn a_review_without_next_is_an_error() {
    let text = BASE.replace(
        "rejected = \"nothing\"\nnext = \"closed\"\n",
        "rejected = \"nothing\"\n",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("step `review`: a `review` step needs `next`"),
        "{errs:?}"
    );
}

#[test]
fn a_step_leading_back_to_itself_is_an_error() {
    let text = with_option("再看一次", "status");
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, "\"status\" },")),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("step `status` leads back to itself"),
        "{errs:?}"
    );
}

#[test]
fn a_loop_must_pass_a_step_the_person_answers() {
    // "I can't find it" leads to a help page that leads back: round and round.
    let text = BASE.replace(
        "[[steps]]\nid = \"status\"",
        "[[steps]]\nid = \"find\"\nkind = \"navigate\"\ntitle = { zh = \"找\", en = \"Find\" }\nitems = [{ zh = \"打开\", en = \"Open\" }]\ncant_find = \"help\"\nnext = \"status\"\n\n[[steps]]\nid = \"help\"\nkind = \"intro\"\ntitle = { zh = \"帮助\", en = \"Help\" }\nnext = \"find\"\n\n[[steps]]\nid = \"status\"",
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, "\"find\"\nkind")),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("endless loop: `find`, `help` lead round to each other"),
        "{errs:?}"
    );
    // Through the status step, the same loop is a question asked again: allowed.
    let through_status = text.replace("next = \"find\"\n", "next = \"status\"\n");
    assert_eq!(check(&through_status), Vec::<String>::new());
}

/// BASE with the verify step's English title replaced by the TOML string `toml`.
fn with_title(toml: &str) -> String {
    BASE.replace(r#"en = "Verify" }"#, &format!("en = {toml} }}"))
}

#[test]
fn terminal_commands_in_a_text_are_errors_at_that_string() {
    for toml in [
        r#""\u001b[2J""#,
        r#""\u001b]0;pwned\u0007""#,
        r#""\e[2J""#,
        r#""\x1b[2J""#,
        r#""back\bspace""#,
        r#""form\ffeed""#,
        "\"raw \u{9b}2J\"",
        "\"\u{202e}txt\"",
        r#""a\tb""#,
    ] {
        let text = with_title(toml);
        let errs = check(&text);
        assert_eq!(errs.len(), 1, "{toml}: {errs:?}");
        assert!(errs[0].starts_with(&pos(&text, toml)), "{toml}: {errs:?}");
        assert!(
            errs[0].contains("step `verify`: `title.en` holds "),
            "{toml}: {errs:?}"
        );
    }
    let text = with_title(r#""\u001b[2J""#);
    assert!(check(&text)[0].contains("an escape character (U+001B)"));
    // A line break in a body is text.
    let body = BASE.replace(
        r#"title = { zh = "验证", en = "Verify" }"#,
        "title = { zh = \"验证\", en = \"Verify\" }\nbody = { zh = \"\"\"第一行\n第二行\"\"\", en = \"one\\ntwo\" }",
    );
    assert_eq!(check(&body), Vec::<String>::new());
}

#[test]
fn invisible_characters_in_a_text_are_errors_at_that_string() {
    // Zero-width space and joiner, a byte-order mark inside the text, a soft hyphen, a
    // Hangul filler, a variation selector and a tag character: none takes a column the
    // layout can count on, and each hides what is around it from a reviewer.
    for (toml, code) in [
        (r#""Ver\u200bify""#, "U+200B"),
        (r#""Ver\u200dify""#, "U+200D"),
        (r#""Ver\ufeffify""#, "U+FEFF"),
        (r#""Ver\u00adify""#, "U+00AD"),
        (r#""Ver\u3164ify""#, "U+3164"),
        (r#""Ver\ufe0fify""#, "U+FE0F"),
        (r#""Verify\U000E0041""#, "U+E0041"),
    ] {
        let text = with_title(toml);
        let errs = check(&text);
        assert_eq!(errs.len(), 1, "{toml}: {errs:?}");
        assert!(errs[0].starts_with(&pos(&text, toml)), "{toml}: {errs:?}");
        assert!(
            errs[0].contains(&format!(
                "step `verify`: `title.en` holds an invisible character ({code})"
            )),
            "{toml}: {errs:?}"
        );
    }
}

#[test]
fn a_hotline_is_one_line() {
    for hotline in [
        "\"\"\"000\n● 已关闭 ✓\"\"\"",
        r#""000\n""#,
        "\"\"\"000\r\n已关闭\"\"\"",
    ] {
        let text = BASE.replace(r#"hotline = "000""#, &format!("hotline = {hotline}"));
        let errs = check(&text);
        assert!(
            errs.iter()
                .any(|e| e.starts_with(&pos(&text, hotline))
                    && e.contains("the hotline is one line")),
            "{hotline}: {errs:?}"
        );
    }
}

#[test]
fn a_file_with_windows_line_endings_reads_as_with_unix_ones() {
    let body = BASE.replace(
        r#"title = { zh = "验证", en = "Verify" }"#,
        "title = { zh = \"验证\", en = \"Verify\" }\nbody = { zh = \"\"\"第一行\n第二行\"\"\", en = \"\"\"one\ntwo\"\"\" }",
    );
    let crlf = body.replace('\n', "\r\n");
    let load = |text: &str| {
        Content::load(Sources {
            ui: None,
            calendar: None,
            products: vec![SourceFile {
                path: "p.toml".into(),
                text: text.into(),
            }],
        })
        .unwrap()
    };
    let (lf, crlf) = (load(&body), load(&crlf));
    let verify = |c: &Content| c.products[0].step("verify").unwrap().body.clone();
    let text = verify(&crlf).unwrap();
    assert_eq!((&*text.zh, &*text.en), ("第一行\n第二行", "one\ntwo"));
    assert_eq!(verify(&crlf), verify(&lf));
    // The same product, so a case begun on one resumes on the other unchanged.
    assert_eq!(crlf.products[0].fingerprint(), lf.products[0].fingerprint());
}

#[test]
fn ui_strings_are_text_too() {
    let source = builtin::UI.1.replace(
        "welcome_new = { zh = \"开始新的销户\"",
        "welcome_new = { zh = \"开始\\u001b]0;x\\u0007新的销户\"",
    );
    let errs = UiStrings::parse("ui.toml", &source).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    let at = source.find("\"开始\\u001b").unwrap();
    let (line, col) = diagnostic::line_col(&source, at);
    assert_eq!((errs[0].line, errs[0].col), (line, col), "{errs:?}");
    assert!(
        errs[0]
            .message
            .contains("`welcome_new.zh` holds an escape character")
    );
}

#[test]
fn business_days_are_at_most_sixty() {
    assert_eq!(
        check(&BASE.replace("business_days = 3", "business_days = 60")),
        Vec::<String>::new()
    );
    let text = BASE.replace("business_days = 3", "business_days = 61");
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with(&pos(&text, "61")), "{errs:?}");
    assert!(
        errs[0].contains("`business_days = 61` is more than 60"),
        "{errs:?}"
    );
}

#[test]
fn a_title_fits_on_one_line_at_the_smallest_window() {
    assert_eq!(
        validate::TITLE_COLUMNS,
        usize::from(crate::wizard::model::MIN_WIDTH) - 4
    );
    let fits = "x".repeat(validate::TITLE_COLUMNS);
    assert_eq!(
        check(&with_title(&format!("\"{fits}\""))),
        Vec::<String>::new()
    );
    let text = with_title(&format!("\"{fits}y\""));
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, &format!("\"{fits}y"))),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("the en title is 57 columns wide; at most 56"),
        "{errs:?}"
    );
    // A Chinese character takes two columns.
    let zh = "验".repeat(validate::TITLE_COLUMNS / 2 + 1);
    let text = BASE.replace(r#"zh = "验证""#, &format!("zh = \"{zh}\""));
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("the zh title is 58 columns wide"),
        "{errs:?}"
    );
    let errs = check(&with_title(r#""two\nlines""#));
    assert!(
        errs[0].contains("the en title has a line break"),
        "{errs:?}"
    );
}

#[test]
fn texts_have_a_size() {
    let long = "长".repeat(validate::LONG_TEXT + 1);
    let text = BASE.replace(
        r#"repay = { zh = "先还款。", en = "Repay first." }"#,
        &format!("repay = {{ zh = \"{long}\", en = \"Repay first.\" }}"),
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&pos(&text, &format!("\"{long}"))),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("step `debt`: `repay` is 4001 characters long in zh; at most 4000"),
        "{errs:?}"
    );
    let label = "L".repeat(validate::SHORT_TEXT + 1);
    let text = BASE.replace(r#"en = "Principal""#, &format!("en = \"{label}\""));
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("`fields[1].label` is 201 characters long in en; at most 200"),
        "{errs:?}"
    );
    let at_limit = BASE.replace(r#"en = "Principal""#, &format!("en = \"{}\"", &label[1..]));
    assert_eq!(check(&at_limit), Vec::<String>::new());
}

#[test]
fn an_unclosed_string_is_reported_where_it_opens() {
    // Inside an array of tables the parser gives up on the next line.
    let text = BASE.replace(
        r#"  { label = { zh = "正常", en = "Normal" }, next = "debt" },"#,
        r#"  { label = { zh = "正常, en = "Normal" }, next = "debt" },"#,
    );
    let errs = check(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with(&pos(&text, "\"正常, en")), "{errs:?}");
    assert!(errs[0].contains("unclosed string"), "{errs:?}");
    let text = BASE.replace("hotline = \"000\"", "hotline = \"000");
    let errs = check(&text);
    assert!(errs[0].starts_with(&pos(&text, "\"000")), "{errs:?}");
    assert!(errs[0].contains("unclosed string"), "{errs:?}");
    // Other syntax errors keep the parser's words and place.
    let text = BASE.replace("hotline = \"000\"", "hotline = = \"000\"");
    let errs = check(&text);
    assert!(!errs[0].contains("unclosed string"), "{errs:?}");
}

#[test]
fn the_welcome_text_names_every_product_loaded() {
    let added = BASE.replace(
        "id = \"demo\"\nname = { zh = \"演示\", en = \"Demo\" }",
        "id = \"douyin\"\nname = { zh = \"抖音月付\", en = \"Douyin Yuefu\" }",
    );
    let mut sources = builtin::sources();
    sources.products.push(SourceFile {
        path: "douyin.toml".into(),
        text: added,
    });
    let content = Content::load(sources).unwrap();
    let zh = content.welcome_intro(Lang::Zh);
    assert!(zh.contains("微粒贷、花呗、借呗"), "{zh}");
    assert!(zh.contains("、抖音月付"), "{zh}");
    let en = content.welcome_intro(Lang::En);
    assert!(en.contains("Weilidai, Huabei"), "{en}");
    assert!(en.contains(", Douyin Yuefu"), "{en}");
    assert!(!en.contains('{'), "{en}");
}

#[test]
fn a_review_needs_its_overdue_route() {
    let text = BASE.replace("overdue = \"nothing\"\n", "");
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("a `review` step needs `overdue`")),
        "{errs:?}"
    );
    let text = BASE.replace("overdue = \"nothing\"", "overdue = \"nowhere\"");
    let errs = check(&text);
    assert!(
        errs.iter().any(|e| e.contains("no step with id `nowhere`")),
        "{errs:?}"
    );
}

#[test]
fn a_sent_step_reached_without_the_checks_is_unsafe() {
    // A request made outside still needs the debt check and the identity record first.
    let text = BASE
        .replace(
            "  { label = { zh = \"正常\", en = \"Normal\" }, next = \"debt\" },",
            "  { label = { zh = \"正常\", en = \"Normal\" }, next = \"debt\" },\n  { label = { zh = \"已申请\", en = \"Sent\" }, next = \"sent\" },",
        )
        .replace(
            "[[steps]]\nid = \"review\"",
            "[[steps]]\nid = \"sent\"\nkind = \"sent\"\ntitle = { zh = \"提交日期\", en = \"Sent on\" }\nnext = \"review\"\n\n[[steps]]\nid = \"review\"",
        );
    let errs = check(&text);
    assert!(
        errs.iter()
            .any(|e| e.contains("step `sent` (sent) can be reached without passing")),
        "{errs:?}"
    );
}

#[test]
fn a_sent_step_closes_only_through_a_review_after_it() {
    // The request went out before the case: whether it closed is the provider's answer.
    let sent = BASE.replace(
        "id = \"confirm\"\nkind = \"confirm\"\ntitle = { zh = \"确认\", en = \"Confirm\" }\n",
        "id = \"sent\"\nkind = \"sent\"\ntitle = { zh = \"提交日期\", en = \"Sent on\" }\n",
    );
    assert!(check(&sent).is_empty(), "{:?}", check(&sent));
    let straight = sent.replace(
        "title = { zh = \"提交日期\", en = \"Sent on\" }\n",
        "title = { zh = \"提交日期\", en = \"Sent on\" }\nnext = \"closed\"\n",
    );
    let errs = check(&straight);
    let closed = errs
        .iter()
        .find(|e| e.contains("step `closed` (outcome, result `closed`)"))
        .unwrap_or_else(|| panic!("{errs:?}"));
    assert!(
        closed.contains("without passing a `review` step after its `sent` step"),
        "{errs:?}"
    );
}

/// A product file the load is told was checked before: its record, and a reader that
/// counts how often the file is read and gives `text`.
fn deferred(
    text: &'static str,
    reads: &std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> (SourceFile, Option<Deferred>) {
    let (file, _) = parse_toml::<schema::ProductFile>("p.toml", BASE).unwrap();
    let checked = Vouched {
        product: vouched::Header::of(&file.product),
        steps: file.steps.len(),
    };
    let reads = reads.clone();
    let read = Reader::new(move || {
        reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(text.to_owned())
    });
    let source = SourceFile {
        path: "p.toml".into(),
        text: String::new(),
    };
    (source, Some(Deferred { checked, read }))
}

fn load_deferred(source: SourceFile, d: Option<Deferred>) -> Loaded {
    let sources = Sources {
        ui: None,
        calendar: None,
        products: vec![source],
    };
    Content::load_vouched(sources, &[d])
}

#[test]
fn a_deferred_product_is_listed_from_its_record_and_read_when_first_opened() {
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (source, d) = deferred(BASE, &reads);
    let loaded = load_deferred(source, d);
    let content = loaded.content.expect("a vouched product loads");
    let p = &content.products[0];
    assert_eq!((p.id(), &*p.info.name.en), ("demo", "Demo"));
    assert_eq!(p.step_count(), 8, "counted from the record");
    assert_eq!(
        reads.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "not read at load"
    );
    assert_eq!(p.first_step().id(), "intro");
    assert_eq!(p.steps().len(), 8);
    assert_eq!(
        reads.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "read once, when opened"
    );
    // The record is passed on for the next start.
    assert_eq!(loaded.passed[0].as_ref().map(|v| v.steps), Some(8));
    // Its fingerprint is the file's, as if it had been parsed at load.
    let parsed = Content::load(Sources {
        ui: None,
        calendar: None,
        products: vec![SourceFile {
            path: "p.toml".into(),
            text: BASE.into(),
        }],
    })
    .unwrap();
    assert_eq!(p.fingerprint(), parsed.products[0].fingerprint());
}

#[test]
fn a_deferred_file_that_no_longer_passes_opens_on_an_end_screen_that_says_so() {
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Debt skipped: the validator refuses this flow, whatever the record says.
    let unsafe_flow: &'static str = BASE.replace("next = \"debt\"", "next = \"verify\"").leak();
    assert!(!check(unsafe_flow).is_empty());
    // Another product's file now stands at its path.
    let other: &'static str = BASE.replacen("id = \"demo\"", "id = \"other\"", 1).leak();
    assert!(check(other).is_empty());
    for text in [unsafe_flow, other, "not toml ["] {
        let (source, d) = deferred(text, &reads);
        let content = load_deferred(source, d).content.unwrap();
        let p = &content.products[0];
        assert_eq!(p.steps().len(), 1, "{text}");
        assert_eq!(p.first_step().id(), "not-as-checked");
        assert_eq!(p.first_step().kind(), StepKind::Outcome);
        assert!(!p.usable());
    }
    // A file that cannot be read any more.
    let (source, mut d) = deferred(BASE, &reads);
    if let Some(d) = &mut d {
        d.read = Reader::new(|| Err("p.toml:1:1: error: cannot read: gone".into()));
    }
    let content = load_deferred(source, d).content.unwrap();
    assert_eq!(content.products[0].first_step().id(), "not-as-checked");
    assert!(!content.products[0].usable());
}

#[test]
fn a_deferred_file_edited_since_the_start_and_still_valid_is_followed_as_it_is_now() {
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let renamed: &'static str = BASE
        .replace("en = \"Demo\" }\nprovider", "en = \"Other\" }\nprovider")
        .replace(
            "title = { zh = \"开始\", en = \"Start\" }",
            "title = { zh = \"开始\", en = \"Begin\" }",
        )
        .leak();
    assert!(check(renamed).is_empty() && renamed != BASE);
    let (source, d) = deferred(renamed, &reads);
    let content = load_deferred(source, d).content.unwrap();
    let p = &content.products[0];
    assert!(p.usable());
    assert_eq!(p.steps().len(), 8);
    assert_eq!(p.first_step().title.en, "Begin");
}

#[test]
fn a_duplicate_id_with_a_deferred_file_is_reported_at_its_line() {
    let reads = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let first = SourceFile {
        path: "a.toml".into(),
        text: BASE.into(),
    };
    // The deferred one is the second: its line and column come from its file, read now.
    let (mut second, d) = deferred(BASE, &reads);
    second.path = "b.toml".into();
    let sources = Sources {
        ui: None,
        calendar: None,
        products: vec![first, second],
    };
    let errors: Vec<String> = match Content::load_vouched(sources, &[None, d]).content {
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
        Ok(_) => panic!("a duplicate id loads"),
    };
    assert_eq!(
        errors,
        vec!["b.toml:2:6: error: duplicate product id `demo` (also in a.toml)".to_string()]
    );
}

#[test]
fn a_record_is_believed_only_as_far_as_a_valid_file_could_have_given_it() {
    let (file, _) = parse_toml::<schema::ProductFile>("p.toml", BASE).unwrap();
    let good = Vouched {
        product: vouched::Header::of(&file.product),
        steps: 8,
    };
    let size = BASE.len() as u64;
    assert!(good.plausible(size));
    // The header is in the file: a record of a smaller file, or of a name longer than any
    // file, is not believed (a 5 MB name would make every frame of the list spin).
    assert!(!good.plausible(20));
    assert!(!good.plausible(0));
    let mut long = good.clone();
    long.product.name.en = "x".repeat(5 << 20).into();
    assert!(!long.plausible(1 << 20));
    let mut forged = Vec::new();
    let mut v = good.clone();
    v.product.name.zh = "演示\u{1b}]0;title\u{7}".into();
    forged.push(v);
    let mut v = good.clone();
    v.product.summary.en = "reads \u{202e}backwards".into();
    forged.push(v);
    let mut v = good.clone();
    v.product.id = "../../etc".into();
    forged.push(v);
    let mut v = good.clone();
    v.product.platform_id = String::new();
    forged.push(v);
    let mut v = good.clone();
    v.product.provider.en = " ".into();
    forged.push(v);
    let mut v = good.clone();
    v.product.hotline = "95188\u{9b}2J".into();
    forged.push(v);
    let mut v = good.clone();
    v.steps = 0;
    forged.push(v);
    let mut v = good;
    v.steps = usize::MAX;
    forged.push(v);
    for v in forged {
        assert!(!v.plausible(size), "{v:?}");
    }
}

#[test]
fn the_end_screen_of_a_changed_file_reads() {
    #[derive(serde::Deserialize)]
    struct Steps {
        steps: Vec<toml::Spanned<schema::StepFile>>,
    }
    let steps: Steps = toml::from_str(vouched::NOT_AS_CHECKED).unwrap();
    let step = Step::from_file(steps.steps[0].get_ref());
    assert_eq!(step.kind(), StepKind::Outcome);
    assert!(step.title.zh.contains("检查") && step.title.en.contains("checked"));
}

#[test]
fn a_product_is_found_by_id_in_a_large_catalogue_even_after_the_list_changes() {
    let products = (0..40)
        .map(|i| SourceFile {
            path: format!("p{i}.toml"),
            text: BASE.replacen("id = \"demo\"", &format!("id = \"demo-{i}\""), 1),
        })
        .collect();
    let mut content = Content::load(Sources {
        ui: None,
        calendar: None,
        products,
    })
    .unwrap();
    for i in 0..40 {
        let id = format!("demo-{i}");
        assert_eq!(content.product(&id).map(Product::id), Some(id.as_str()));
    }
    assert!(content.product("demo").is_none());
    // The index was made; the list changes under it.
    content.products.swap(0, 39);
    let removed = content.products.remove(5).id().to_owned();
    let renamed = content.products[7].id().to_owned();
    content.products[7].info.id = toml::Spanned::new(0..0, "renamed".into());
    for p in content.products.clone() {
        assert_eq!(content.product(p.id()).map(Product::id), Some(p.id()));
    }
    assert!(content.product("renamed").is_some());
    for old in [removed, renamed] {
        assert!(content.product(&old).is_none(), "{old} is still found");
    }
}

/// `refused_char` reads a byte at a time and skips whole blocks it knows are safe: it must
/// refuse exactly what the rule says, for every character, alone and after other text.
#[test]
fn refused_char_agrees_with_the_rule_for_every_character() {
    let rule = |c: char| {
        c != '\n' && (crate::safe_text::is_unsafe(c) || crate::safe_text::is_invisible(c))
    };
    for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
        let expected = rule(c).then_some(c);
        let at = format!("U+{:04X}", u32::from(c));
        assert_eq!(
            validate::refused_char(c.encode_utf8(&mut [0; 4])),
            expected,
            "{at}"
        );
        assert_eq!(
            validate::refused_char(&format!("a中{c}b")),
            expected,
            "{at}"
        );
        let text = format!("abcdefghijk{c}lmnopq");
        assert_eq!(validate::refused_char(&text), expected, "{at}");
        if u32::from(c) < 0x100 {
            for before in 0..17 {
                let text = format!("{}{c}{}", "x".repeat(before), "y".repeat(16 - before));
                assert_eq!(
                    validate::refused_char(&text),
                    expected,
                    "{at} after {before}"
                );
            }
        }
    }
    assert_eq!(validate::refused_char("一\r\n二"), None);
    assert_eq!(validate::refused_char("一\r二"), Some('\r'));
    assert_eq!(validate::refused_char("一\r"), Some('\r'));
}

/// An agent note that says which choice to take (选「…」) quotes it as the screen shows it,
/// for the product's own words (已关闭了 or 已注销了): an agent reads the note aloud and looks
/// for the row. A quote ending in …… stands for a longer label.
#[test]
fn agent_notes_quote_the_choices_as_the_screen_words_them() {
    let content = Content::builtin().unwrap();
    let mut wrong = Vec::new();
    for (path, text) in builtin::PRODUCTS {
        let file: schema::ProductFile = toml::from_str(text).unwrap();
        let id = file.product.id.get_ref().clone();
        let ui = content.ui_for(&id);
        let mut labels: Vec<String> = ui.all().iter().map(|(_, t)| t.zh.to_string()).collect();
        for step in &file.steps {
            for option in step.get_ref().options.iter().flatten() {
                labels.push(option.label.zh.to_string());
            }
        }
        for step in &file.steps {
            let Some(agent) = &step.get_ref().agent else {
                continue;
            };
            for quoted in agent
                .zh
                .split("选「")
                .skip(1)
                .filter_map(|s| s.split_once('」'))
            {
                let shown = quoted.0.trim_end_matches('…');
                if !labels.iter().any(|l| l.starts_with(shown)) {
                    wrong.push(format!("{path} {}: 「{}」", step.get_ref().id(), quoted.0));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "quoted choices the screen does not show: {wrong:#?}"
    );
}
