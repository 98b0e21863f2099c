//! The form and field classifier's entry: a page's fields in groups (forms, or containers on a
//! formless page), each group with its kind and each field with its own. The gesture fill plans
//! from it; the save prompt and the inline menu will read it too.

use serde::Serialize;

use super::classify::Field;
use super::field_kind::{field_kinds, FieldKind};
use super::form_kind::{count, form_kind, FormKind};
use super::groups::group;
use super::page::PageDetails;

/// One group and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupKind {
    /// The form's opid, when the group is a form (or a container inside a page-wide form).
    pub form: Option<String>,
    /// The container's opid, for formless fields (or a page-wide form's part).
    pub section: Option<String>,
    pub kind: FormKind,
    /// Indexes into the page's fields, document order.
    pub fields: Vec<usize>,
}

/// The classifier's answer for one frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageKinds {
    pub groups: Vec<GroupKind>,
    /// Each field's kind, by index into the page's fields.
    pub fields: Vec<FieldKind>,
    /// Each field's group, by index into `groups`.
    pub field_group: Vec<usize>,
}

impl PageKinds {
    /// The kind of the group field `idx` belongs to.
    pub fn form_of(&self, idx: usize) -> FormKind {
        self.groups[self.field_group[idx]].kind
    }
}

/// Classifies every group and field of a page. `stored_login`: a login is stored for this site
/// (a one-password form is then a sign-in rather than a sign-up).
pub fn classify_page(details: &PageDetails, stored_login: bool) -> PageKinds {
    let fields: Vec<Field> = details
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| Field::new(i, f))
        .collect();
    classify_fields(details, &fields, stored_login)
}

pub(crate) fn classify_fields(
    details: &PageDetails,
    fields: &[Field],
    stored_login: bool,
) -> PageKinds {
    let groups = group(details, fields);
    let mut kinds = vec![FieldKind::Other; fields.len()];
    let mut field_group = vec![0; fields.len()];
    let mut out = Vec::with_capacity(groups.len());
    for (g, grp) in groups.into_iter().enumerate() {
        let members: Vec<&Field> = grp.fields.iter().map(|&i| &fields[i]).collect();
        let kind = form_kind(&count(&members), &grp.text, stored_login);
        for (&i, k) in grp
            .fields
            .iter()
            .zip(field_kinds(fields, &grp.fields, kind))
        {
            kinds[i] = k;
            field_group[i] = g;
        }
        out.push(GroupKind {
            form: grp.form.map(str::to_string),
            section: grp.section.map(str::to_string),
            kind,
            fields: grp.fields,
        });
    }
    PageKinds {
        groups: out,
        fields: kinds,
        field_group,
    }
}
