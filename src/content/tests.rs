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
  { label = { zh = "正常", en = "Normal" } },
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
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with(&pos(&text, "\"nothing\"")), "{errs:?}");
    assert!(errs[0].contains("can never be reached"));
}

#[test]
fn a_flow_that_skips_debt_is_unsafe() {
    let text = BASE.replace(
        "  { label = { zh = \"正常\", en = \"Normal\" } },",
        "  { label = { zh = \"正常\", en = \"Normal\" } },\n  { label = { zh = \"跳过\", en = \"Skip\" }, next = \"confirm\" },",
    );
    let errs = check(&text);
    // The confirm step, and the review after it, are both reachable unchecked.
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[1].contains("step `review` (review)"), "{errs:?}");
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
    let a = parse_product(&SourceFile {
        path: "p".into(),
        text: BASE.into(),
    })
    .unwrap();
    let b = parse_product(&SourceFile {
        path: "p".into(),
        text: BASE.replace("Repay first.", "Please repay first."),
    })
    .unwrap();
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
    let p = parse_product(&SourceFile {
        path: "p".into(),
        text: BASE.into(),
    })
    .unwrap();
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
        for step in &product.steps {
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
    );
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
    assert!(
        errs[0].starts_with(&pos(&text, "\"verify\"\nkind")),
        "{errs:?}"
    );
    assert!(
        errs[0].contains(
            "step `verify`: `title`: product texts take no placeholders: `{hotline}` in the en text"
        ),
        "{errs:?}"
    );
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
            "  { label = { zh = \"正常\", en = \"Normal\" } },",
            "  { label = { zh = \"正常\", en = \"Normal\" } },\n  { label = { zh = \"已申请\", en = \"Sent\" }, next = \"sent\" },",
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
