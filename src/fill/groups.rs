//! Which fields belong together: a form's fields, or on a formless page the fields of one
//! container (a dialog, a section…), else the page's loose fields. A page-wide form (ASP.NET
//! wraps the whole page in one) is split by the containers inside it. Each group carries the
//! words around it: buttons, headings, links, where it posts, what it is called.

use std::collections::HashMap;

use super::classify::Field;
use super::page::{PageDetails, PageForm};
use super::words::Words;

/// A form with more fields than this, in more than one container, is read container by
/// container.
const PAGE_WIDE_FORM: usize = 8;

/// One group of fields and the text around it.
pub(crate) struct Group<'a> {
    /// The form's opid when the group is (part of) a form.
    pub form: Option<&'a str>,
    /// The container's opid when the group is one.
    pub section: Option<&'a str>,
    /// Indexes into `PageDetails::fields`, in document order.
    pub fields: Vec<usize>,
    pub text: GroupText,
}

/// The words around a group, by where they were found.
#[derive(Default)]
pub(crate) struct GroupText {
    pub buttons: Words,
    pub headings: Words,
    pub links: Words,
    /// The path and query the form posts to.
    pub action: Words,
    /// The form's id, name and class.
    pub names: Words,
    /// The page's title and first heading.
    pub page: Words,
}

impl GroupText {
    fn of(form: Option<&PageForm>, section: Option<&PageForm>, page_text: &str) -> GroupText {
        // A container's own words describe it better than those of a page-wide form around it.
        let lists = section.or(form);
        let mut buttons: Vec<&str> = Vec::new();
        let mut headings: Vec<&str> = Vec::new();
        let mut links: Vec<&str> = Vec::new();
        let mut names: Vec<&str> = Vec::new();
        if let Some(f) = lists {
            buttons.extend(f.buttons.iter().map(String::as_str));
            headings.extend(f.headings.iter().map(String::as_str));
            links.extend(f.links.iter().map(String::as_str));
            if buttons.is_empty() && headings.is_empty() && links.is_empty() {
                // Details without the separate lists: the mixed text reads as a heading.
                headings.push(&f.text);
            }
            names.extend([f.html_id.as_str(), &f.name, &f.class_name]);
        } else {
            headings.push(page_text);
        }
        if let Some(f) = form.filter(|_| section.is_some()) {
            names.extend([f.html_id.as_str(), &f.name]);
        }
        let action = form.map(|f| action_path(&f.action)).unwrap_or_default();
        GroupText {
            buttons: Words::new(&buttons),
            headings: Words::new(&headings),
            links: Words::new(&links),
            action: Words::new(&[&action]),
            names: Words::new(&names),
            page: Words::new(&[page_text]),
        }
    }
}

/// The path and query of a form's target: `/account/login?next=/` says more than the host.
fn action_path(action: &str) -> String {
    match crate::idn::parse_url(action) {
        Some(u) => format!("{} {}", u.path(), u.query().unwrap_or("")),
        None => action.to_string(),
    }
}

/// Forms that wrap several containers of many fields: read container by container.
fn page_wide_forms<'a>(fields: &[Field<'a>]) -> Vec<&'a str> {
    let mut per_form: HashMap<&str, (usize, Vec<Option<&str>>)> = HashMap::new();
    for f in fields {
        if let Some(form) = f.form() {
            let e = per_form.entry(form).or_default();
            e.0 += 1;
            let s = f.f.section.as_deref();
            if !e.1.contains(&s) && e.1.len() < 8 {
                e.1.push(s);
            }
        }
    }
    per_form
        .into_iter()
        .filter(|(_, (n, sections))| *n > PAGE_WIDE_FORM && sections.iter().flatten().count() >= 2)
        .map(|(form, _)| form)
        .collect()
}

/// Splits the page's fields into groups, in document order of their first field.
pub(crate) fn group<'a>(details: &'a PageDetails, fields: &[Field<'a>]) -> Vec<Group<'a>> {
    let form_of = |id: &str| details.forms.iter().find(|f| f.opid == id);
    let section_of = |id: &str| details.sections.iter().find(|f| f.opid == id);
    let page_wide = page_wide_forms(fields);
    let mut out: Vec<Group> = Vec::new();
    let mut index: HashMap<(Option<&str>, Option<&str>), usize> = HashMap::new();
    for f in fields {
        let form = f.form();
        let section = match form {
            Some(id) if !page_wide.contains(&id) => None,
            _ => f.f.section.as_deref(),
        };
        let at = *index.entry((form, section)).or_insert_with(|| {
            out.push(Group {
                form,
                section,
                fields: Vec::new(),
                text: GroupText::of(
                    form.and_then(form_of),
                    section.and_then(section_of),
                    &details.page_text,
                ),
            });
            out.len() - 1
        });
        out[at].fields.push(f.idx);
    }
    out
}
