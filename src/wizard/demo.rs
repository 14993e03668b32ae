//! Sample accounts for the help-desk demo (`assets/demo/profiles.toml`): a product and the
//! amounts its debt step starts with, so a desk can show the passing path and the path
//! blocked by debt. Parsed and checked against the content, without IO.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::money::parse_amount;
use crate::content::{Content, Diagnostic, Text};

pub const BUILTIN_PATH: &str = "assets/demo/profiles.toml";
pub const BUILTIN: &str = include_str!("../../assets/demo/profiles.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub product: String,
    pub name: Text,
    /// Debt field id → amount as a person would type it; fields not listed start at 0.
    #[serde(default)]
    pub amounts: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    profiles: Vec<Profile>,
}

/// The profiles in `text`, each checked: a known product, its own debt field ids, amounts
/// the debt screen accepts.
pub fn parse(path: &str, text: &str, content: &Content) -> Result<Vec<Profile>, Vec<Diagnostic>> {
    let file: File = toml::from_str(text).map_err(|e| {
        vec![Diagnostic::at(
            path,
            text,
            e.span().unwrap_or(0..0),
            e.message().to_owned(),
        )]
    })?;
    let at_id = |id: &str| {
        let offset = text.find(&format!("\"{id}\"")).unwrap_or(0);
        offset..offset
    };
    let mut errors = Vec::new();
    for p in &file.profiles {
        let Some(product) = content.product(&p.product) else {
            errors.push(Diagnostic::at(
                path,
                text,
                at_id(&p.id),
                format!("profile `{}`: unknown product `{}`", p.id, p.product),
            ));
            continue;
        };
        let fields: Vec<&str> = product
            .steps()
            .iter()
            .filter_map(|s| s.debt())
            .flat_map(|d| d.fields.iter().map(|f| f.id.get_ref().as_str()))
            .collect();
        for (field, amount) in &p.amounts {
            if !fields.contains(&field.as_str()) {
                errors.push(Diagnostic::at(
                    path,
                    text,
                    at_id(&p.id),
                    format!(
                        "profile `{}`: `{field}` is not a debt field of {} (it has: {})",
                        p.id,
                        p.product,
                        fields.join(", ")
                    ),
                ));
            } else if parse_amount(amount).is_err() {
                errors.push(Diagnostic::at(
                    path,
                    text,
                    at_id(&p.id),
                    format!("profile `{}`: `{amount}` is not an amount", p.id),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(file.profiles)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_profiles_cover_both_paths_for_every_product() {
        let content = Content::builtin().unwrap();
        let profiles = parse(BUILTIN_PATH, BUILTIN, &content).unwrap();
        for product in &content.products {
            let mine: Vec<&Profile> = profiles
                .iter()
                .filter(|p| p.product == product.id())
                .collect();
            let owes = |p: &&Profile| {
                p.amounts
                    .values()
                    .any(|a| parse_amount(a).is_ok_and(|cents| cents > 0))
            };
            assert!(
                mine.iter().any(owes),
                "{}: no blocked-by-debt profile",
                product.id()
            );
            assert!(
                mine.iter().any(|p| !owes(p)),
                "{}: no passing profile",
                product.id()
            );
        }
    }

    #[test]
    fn a_wrong_field_or_product_is_named_with_its_place() {
        let content = Content::builtin().unwrap();
        let text = "[[profiles]]\nid = \"x\"\nproduct = \"huabei\"\nname = { zh = \"x\", en = \"x\" }\namounts = { principal = \"5\" }\n\n[[profiles]]\nid = \"y\"\nproduct = \"nope\"\nname = { zh = \"y\", en = \"y\" }\n";
        let errors = parse("p.toml", text, &content).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(shown[0].starts_with("p.toml:2:"), "{shown:?}");
        assert!(
            shown[0].contains("`principal` is not a debt field of huabei"),
            "{shown:?}"
        );
        assert!(shown[1].starts_with("p.toml:8:"), "{shown:?}");
        assert!(shown[1].contains("unknown product `nope`"), "{shown:?}");
    }
}
