//! The structure tree: what makes the PDF tagged (PDF/UA-1). Every layout node that
//! holds content becomes a structure element; its content is referenced by the
//! marked-content ids the pages were written with, and the parent tree maps each page's
//! ids back to their elements.

use pdf_writer::types::{ListNumbering, StructRole, TableHeaderScope};
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Finish, Name, Pdf, Ref, TextStr};

use super::model::{Layout, ListStyle, StructChild, StructKind};

/// Where one piece of content was drawn: page index and marked-content id.
pub type Mark = (u32, u32);

fn role(kind: &StructKind) -> StructRole {
    match kind {
        // PDF 1.7 has no Title; it is role-mapped to H1 below: the document's title is
        // its top heading, as screen readers expect to find it.
        StructKind::Title => StructRole::H1,
        StructKind::P => StructRole::P,
        StructKind::Heading { level, .. } => match level {
            0 | 1 => StructRole::H1,
            2 => StructRole::H2,
            3 => StructRole::H3,
            4 => StructRole::H4,
            5 => StructRole::H5,
            _ => StructRole::H6,
        },
        StructKind::Section => StructRole::Sect,
        StructKind::Div => StructRole::Div,
        StructKind::BlockQuote => StructRole::BlockQuote,
        StructKind::List(_) => StructRole::L,
        StructKind::ListItem => StructRole::LI,
        StructKind::Label => StructRole::Lbl,
        StructKind::ListBody => StructRole::LBody,
        StructKind::Table => StructRole::Table,
        StructKind::TableRow => StructRole::TR,
        StructKind::TableHeader => StructRole::TH,
        StructKind::TableCell => StructRole::TD,
        StructKind::Link(_) => StructRole::Link,
    }
}

fn numbering(style: ListStyle) -> ListNumbering {
    match style {
        ListStyle::Decimal => ListNumbering::Decimal,
        ListStyle::LowerAlpha => ListNumbering::LowerAlpha,
        ListStyle::LowerRoman => ListNumbering::LowerRoman,
        ListStyle::Disc => ListNumbering::Disc,
        ListStyle::Dash => ListNumbering::None,
    }
}

/// What an annotation is, for the tag tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnotKind {
    /// A signature field: a `Form` element of its own under the node's element.
    Field,
    /// A link: referenced from the node's own `Link` element, beside the link text.
    Link,
}

/// An annotation to tag under the element of layout node `node`, by object reference
/// (see [`AnnotKind`]); `key` is its `/StructParent` in the parent tree.
#[derive(Debug, Clone)]
pub struct Annot {
    pub annot: Ref,
    pub page: u32,
    pub node: usize,
    pub key: i32,
    pub alt: String,
    pub kind: AnnotKind,
}

/// A child of an element once written: another element, a marked-content sequence or
/// an annotation (by its index in the annotations).
#[derive(Clone, Copy, PartialEq)]
enum Kid {
    Element(Ref),
    Marked(Mark),
    Object(usize),
}

struct Writer<'a> {
    layout: &'a Layout,
    marks: &'a [Option<Mark>],
    pages: &'a [Ref],
    next: &'a mut Ref,
    /// By page: the element owning each marked-content id.
    parents: Vec<Vec<Option<Ref>>>,
    /// Elements to write once their kids are known: (ref, node, parent, kids).
    elements: Vec<(Ref, usize, Ref, Vec<Kid>)>,
    annots: &'a [Annot],
    /// The annotations of each layout node, by index in `annots`.
    by_node: std::collections::BTreeMap<usize, Vec<usize>>,
    /// The `Form` elements of the fields: (element, parent, annotation index).
    forms: Vec<(Ref, Ref, usize)>,
    /// The parent tree's entries for the links: (key, the `Link` element).
    objects: Vec<(i32, Ref)>,
}

impl Writer<'_> {
    /// Allocate node `node` and its subtree under `parent`; `None` when it holds no
    /// content (empty elements are left out). Recurses once per structure level: a
    /// few per list or quote level, bounded by [`crate::document::MAX_NESTING`].
    fn visit(&mut self, node: usize, parent: Ref) -> Option<Ref> {
        let me = self.next.bump();
        let mut kids = Vec::new();
        for child in &self.layout.nodes[node].children {
            match child {
                StructChild::Node(c) => {
                    if let Some(r) = self.visit(*c, me) {
                        kids.push(Kid::Element(r));
                    }
                }
                StructChild::Content(id) => {
                    let Some(Some(mark)) = self.marks.get(id.0 as usize) else {
                        continue;
                    };
                    // Lines drawn in one sequence share its id: reference it once.
                    if kids.last() != Some(&Kid::Marked(*mark)) {
                        kids.push(Kid::Marked(*mark));
                        let page = &mut self.parents[mark.0 as usize];
                        let slot = mark.1 as usize;
                        if page.len() <= slot {
                            page.resize(slot + 1, None);
                        }
                        page[slot] = Some(me);
                    }
                }
            }
        }
        for &k in self.by_node.get(&node).into_iter().flatten() {
            match self.annots[k].kind {
                AnnotKind::Field => {
                    let form = self.next.bump();
                    kids.push(Kid::Element(form));
                    self.forms.push((form, me, k));
                }
                AnnotKind::Link => {
                    kids.push(Kid::Object(k));
                    self.objects.push((self.annots[k].key, me));
                }
            }
        }
        if kids.is_empty() {
            return None;
        }
        self.elements.push((me, node, parent, kids));
        Some(me)
    }
}

/// Write the structure tree; returns the root's reference for the catalog.
pub fn write(
    pdf: &mut Pdf,
    next: &mut Ref,
    layout: &Layout,
    marks: &[Option<Mark>],
    pages: &[Ref],
    annots: &[Annot],
    language: &str,
) -> Ref {
    let root = next.bump();
    let document = next.bump();
    let mut w = Writer {
        layout,
        marks,
        pages,
        next,
        parents: vec![Vec::new(); pages.len()],
        elements: Vec::new(),
        annots,
        by_node: std::collections::BTreeMap::new(),
        forms: Vec::new(),
        objects: Vec::new(),
    };
    for (k, a) in annots.iter().enumerate() {
        w.by_node.entry(a.node).or_default().push(k);
    }
    let tops: Vec<Ref> = layout
        .roots
        .iter()
        .filter_map(|&r| w.visit(r, document))
        .collect();

    for (me, node, parent, kids) in &w.elements {
        let kind = &layout.nodes[*node].kind;
        let mut element = pdf.struct_element(*me);
        if let StructKind::Title = kind {
            element.custom_kind(Name(b"Title"));
        } else {
            element.kind(role(kind));
        }
        element.parent(*parent);
        if let StructKind::Heading { title, .. } = kind {
            element.title(TextStr(title));
        }
        // The element's page: where its first content is.
        let first_page = kids.iter().find_map(|k| match k {
            Kid::Marked((page, _)) => Some(*page),
            Kid::Element(_) | Kid::Object(_) => None,
        });
        if let Some(page) = first_page {
            element.page(w.pages[page as usize]);
        }
        match kind {
            StructKind::List(style) => {
                element
                    .attributes()
                    .push()
                    .list()
                    .list_numbering(numbering(*style));
            }
            StructKind::TableHeader => {
                element
                    .attributes()
                    .push()
                    .table()
                    .scope(TableHeaderScope::Column);
            }
            _ => {}
        }
        let mut children = element.children();
        for kid in kids {
            match *kid {
                Kid::Element(r) => {
                    children.struct_element(r);
                }
                Kid::Marked((page, mcid)) if Some(page) == first_page => {
                    children.marked_content_id(mcid as i32);
                }
                Kid::Marked((page, mcid)) => {
                    children
                        .marked_content_ref()
                        .marked_content_id(mcid as i32)
                        .page(w.pages[page as usize]);
                }
                Kid::Object(k) => {
                    let a = &annots[k];
                    children
                        .object_ref()
                        .object(a.annot)
                        .page(w.pages[a.page as usize]);
                }
            }
        }
        children.finish();
    }

    for &(form, parent, k) in &w.forms {
        let a = &annots[k];
        let page = w.pages[a.page as usize];
        let mut element = pdf.struct_element(form);
        element
            .kind(StructRole::Form)
            .parent(parent)
            .page(page)
            .alt(TextStr(&a.alt));
        element.children().object_ref().object(a.annot).page(page);
    }

    let mut doc = pdf.struct_element(document);
    doc.kind(StructRole::Document)
        .parent(root)
        .lang(TextStr(language));
    doc.children().items(tops.iter().copied());
    doc.finish();

    let page_arrays: Vec<Ref> = w.parents.iter().map(|_| w.next.bump()).collect();
    for (array, owners) in page_arrays.iter().zip(&w.parents) {
        // An id nobody owns cannot happen (every id is a node's content); write null.
        let mut items = pdf.indirect(*array).array();
        for owner in owners {
            match owner {
                Some(r) => items.item(*r),
                None => items.item(pdf_writer::Null),
            };
        }
    }

    let mut tree = pdf.indirect(root).start::<StructTreeRoot>();
    tree.children().item(document);
    {
        let mut parent_tree = tree.parent_tree();
        let mut nums = parent_tree.nums();
        for (i, array) in page_arrays.iter().enumerate() {
            nums.insert(i as i32, *array);
        }
        // A number tree lists its keys in increasing order; the forms and links are in
        // tree order.
        let mut keyed: Vec<(i32, Ref)> = w
            .forms
            .iter()
            .map(|&(f, _, k)| (annots[k].key, f))
            .chain(w.objects.iter().copied())
            .collect();
        keyed.sort_by_key(|&(key, _)| key);
        for (key, form) in keyed {
            nums.insert(key, form);
        }
    }
    tree.parent_tree_next_key((pages.len() + annots.len()) as i32);
    tree.role_map().insert(Name(b"Title"), StructRole::H1);
    tree.finish();
    root
}
