//! Checks 4 and 5: the structure tree (roles, headings) and the parent tree.

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Object, ObjectId};

use super::objects::{name, text_string};
use super::{PageContent, Pdf, Report};

// ---------------------------------------------------------------------------------
// 4 and 5. Structure tree and parent tree

/// The standard structure types of PDF 1.7 (14.8.4).
const STANDARD_ROLES: [&str; 49] = [
    "Document",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "P",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "RB",
    "RT",
    "RP",
    "Warichu",
    "WT",
    "WP",
    "Figure",
    "Formula",
    "Form",
];

fn is_standard(role: &str) -> bool {
    STANDARD_ROLES.contains(&role)
}

/// The entries of a number tree (`/Nums`, or `/Kids` of number trees).
fn number_tree<'a>(pdf: &'a Pdf, node: &'a Dictionary, out: &mut BTreeMap<i64, &'a Object>) {
    if let Some(nums) = pdf.get(node, b"Nums").and_then(|n| n.as_array().ok()) {
        for pair in nums.chunks(2) {
            if let [key, value] = pair
                && let Ok(key) = key.as_i64()
            {
                out.insert(key, value);
            }
        }
    }
    if let Some(kids) = pdf.get(node, b"Kids").and_then(|k| k.as_array().ok()) {
        for kid in kids {
            if let Some(kid) = pdf.dict(kid) {
                number_tree(pdf, kid, out);
            }
        }
    }
}

/// The items of a `/K` or `/A` entry, which may be one object or an array of them.
fn one_or_many<'a>(pdf: &'a Pdf, obj: Option<&'a Object>) -> Vec<&'a Object> {
    match obj.and_then(|o| pdf.resolve(o)) {
        Some(Object::Array(items)) => items.iter().collect(),
        Some(_) => obj.into_iter().collect(),
        None => Vec::new(),
    }
}

/// Walks the structure tree from the root, depth first in document order.
struct TreeWalk<'a> {
    pdf: &'a Pdf,
    root: ObjectId,
    role_map: Option<&'a Dictionary>,
    problems: Vec<String>,
    visited: HashSet<ObjectId>,
    /// (page object, MCID) → the element whose `/K` holds it.
    claimed: HashMap<(ObjectId, i64), ObjectId>,
    /// Heading levels in document order, each with its element and `/T` for messages.
    headings: Vec<(u8, String)>,
    roles: BTreeMap<String, usize>,
}

impl<'a> TreeWalk<'a> {
    /// The standard role `role` stands for, through the role map.
    fn standard_role(&self, role: &str) -> Option<String> {
        let mut role = role.to_string();
        for _ in 0..16 {
            if is_standard(&role) {
                return Some(role);
            }
            let mapped = self
                .role_map
                .and_then(|m| self.pdf.get_name(m, role.as_bytes()))?;
            role = name(mapped);
        }
        None
    }

    fn element(&mut self, id: ObjectId, parent: ObjectId, parent_role: &str) {
        let pdf = self.pdf;
        let here = format!("StructElem {id:?}");
        if !self.visited.insert(id) {
            self.problems
                .push(format!("{here}: listed twice in the structure tree"));
            return;
        }
        let Some(elem) = pdf.by_id(id) else {
            self.problems.push(format!("{here}: not a dictionary"));
            return;
        };
        match elem.get(b"P").ok().and_then(|p| p.as_reference().ok()) {
            Some(p) if p == parent => {}
            Some(p) => self
                .problems
                .push(format!("{here}: /P is {p:?} but it is a kid of {parent:?}")),
            None => self
                .problems
                .push(format!("{here}: no /P reference to its parent")),
        }
        let Some(raw_role) = pdf.get_name(elem, b"S").map(name) else {
            self.problems.push(format!("{here}: no /S"));
            return;
        };
        let here = format!("{here} /{raw_role}");
        let role = match self.standard_role(&raw_role) {
            Some(r) => r,
            None => {
                self.problems.push(format!(
                    "{here}: not a standard role and not role-mapped to one"
                ));
                raw_role.clone()
            }
        };
        *self.roles.entry(role.clone()).or_default() += 1;
        if let Some(level) = role
            .strip_prefix('H')
            .and_then(|l| l.parse::<u8>().ok())
            .filter(|l| (1..=6).contains(l))
        {
            let title = pdf
                .get(elem, b"T")
                .and_then(|t| t.as_str().ok())
                .map(text_string)
                .unwrap_or_default();
            self.headings.push((level, format!("{id:?} {title:?}")));
        }
        self.role_rules(elem, &here, &role, parent_role);

        let page = elem.get(b"Pg").ok().and_then(|p| p.as_reference().ok());
        if let Some(pg) = page
            && pdf.page_number(pg).is_none()
        {
            self.problems
                .push(format!("{here}: /Pg {pg:?} is not a page"));
        }
        for kid in one_or_many(pdf, elem.get(b"K").ok()) {
            match kid {
                Object::Integer(mcid) => match page {
                    Some(pg) => self.claim(id, &here, pg, *mcid),
                    None => self
                        .problems
                        .push(format!("{here}: MCID {mcid} as a kid but no /Pg")),
                },
                Object::Reference(kid_id) => {
                    let Some(kid) = pdf.by_id(*kid_id) else {
                        self.problems
                            .push(format!("{here}: kid {kid_id:?} is not a dictionary"));
                        continue;
                    };
                    match pdf.get_name(kid, b"Type") {
                        Some(b"MCR") => self.mcr(id, &here, kid, page),
                        Some(b"OBJR") => {}
                        _ => self.element(*kid_id, id, &role),
                    }
                }
                Object::Dictionary(kid) => match pdf.get_name(kid, b"Type") {
                    Some(b"MCR") => self.mcr(id, &here, kid, page),
                    Some(b"OBJR") => {}
                    _ => self.problems.push(format!(
                        "{here}: a direct kid dictionary that is neither MCR nor OBJR"
                    )),
                },
                other => self
                    .problems
                    .push(format!("{here}: unexpected kid {other:?}")),
            }
        }
    }

    /// A marked-content reference kid: `<< /Type /MCR /MCID n /Pg page >>`.
    fn mcr(&mut self, id: ObjectId, here: &str, mcr: &Dictionary, page: Option<ObjectId>) {
        if mcr.has(b"Stm") {
            self.problems.push(format!(
                "{here}: an MCR into a content stream other than the page's (not written by us)"
            ));
            return;
        }
        let page = mcr
            .get(b"Pg")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .or(page);
        match (page, self.pdf.get_int(mcr, b"MCID")) {
            (Some(pg), Some(mcid)) => self.claim(id, here, pg, mcid),
            (None, _) => self
                .problems
                .push(format!("{here}: an MCR with no /Pg here or on the element")),
            (_, None) => self
                .problems
                .push(format!("{here}: an MCR with no integer /MCID")),
        }
    }

    fn claim(&mut self, id: ObjectId, here: &str, page: ObjectId, mcid: i64) {
        if let Some(other) = self.claimed.insert((page, mcid), id)
            && other != id
        {
            self.problems.push(format!(
                "{here}: MCID {mcid} on page {page:?} is also a kid of {other:?}"
            ));
        }
    }

    /// Attributes and parents that the role itself demands (Matterhorn 15-003 table
    /// header scope, 16-00x lists, 09-004 table rows, 13-004 alternative text).
    fn role_rules(&mut self, elem: &Dictionary, here: &str, role: &str, parent_role: &str) {
        let pdf = self.pdf;
        let attributes: Vec<&Dictionary> = one_or_many(pdf, elem.get(b"A").ok())
            .into_iter()
            .filter_map(|a| pdf.dict(a))
            .collect();
        // Attribute `key` of the attribute dictionaries owned by `owner`.
        let attribute = |owner: &[u8], key: &[u8]| {
            attributes
                .iter()
                .filter(|a| pdf.get_name(a, b"O") == Some(owner))
                .find_map(|a| pdf.get_name(a, key))
        };
        match role {
            "TH" => {
                let scope = attribute(b"Table", b"Scope");
                if !matches!(scope, Some(b"Row" | b"Column" | b"Both")) {
                    self.problems.push(format!(
                        "{here}: no /A << /O /Table /Scope /Row|/Column|/Both >>"
                    ));
                }
            }
            "L" if attribute(b"List", b"ListNumbering").is_none() => {
                self.problems
                    .push(format!("{here}: no /A << /O /List /ListNumbering … >>"));
            }
            "Figure" | "Formula" if !elem.has(b"Alt") && !elem.has(b"ActualText") => {
                self.problems
                    .push(format!("{here}: no /Alt or /ActualText"));
            }
            _ => {}
        }
        let parents: &[&str] = match role {
            "TR" => &["Table", "THead", "TBody", "TFoot"],
            "TH" | "TD" => &["TR"],
            "THead" | "TBody" | "TFoot" => &["Table"],
            "LI" => &["L"],
            "Lbl" | "LBody" => &["LI"],
            _ => &[],
        };
        if !parents.is_empty() && !parents.contains(&parent_role) {
            self.problems.push(format!(
                "{here}: inside /{parent_role}, expected inside one of {parents:?}"
            ));
        }
    }
}

/// The structure tree and the parent tree agree with each other and with the marked
/// content of every page (Matterhorn 01-00x, 02-00x, 14-00x, 15-003, 16-00x).
pub(crate) fn check_structure(
    pdf: &Pdf,
    keys: &[Option<i64>],
    contents: &[PageContent],
    report: &mut Report,
) {
    let problems = &mut report.problems;
    let Some(root_obj) = pdf
        .doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"StructTreeRoot").ok())
    else {
        return; // reported with the catalog
    };
    let Some(root) = pdf.dict(root_obj) else {
        problems.push("StructTreeRoot: not a dictionary".into());
        return;
    };
    let Ok(root_id) = root_obj.as_reference() else {
        problems.push("StructTreeRoot: not an indirect object".into());
        return;
    };
    let role_map = pdf.get_dict(root, b"RoleMap");
    if let Some(map) = role_map {
        for (from, to) in map.iter() {
            let from = name(from);
            if is_standard(&from) {
                problems.push(format!(
                    "RoleMap: the standard role /{from} is remapped (to {to:?})"
                ));
            }
        }
    }
    // One key per page, then one per tagged annotation (a signature field).
    let annots = tagged_annotations(pdf);
    match pdf.get_int(root, b"ParentTreeNextKey") {
        Some(k) if k == (pdf.pages.len() + annots) as i64 => {}
        other => problems.push(format!(
            "StructTreeRoot: /ParentTreeNextKey is {other:?}, expected {} (the page count \
             plus {annots} tagged annotations)",
            pdf.pages.len() + annots
        )),
    }

    let mut walk = TreeWalk {
        pdf,
        root: root_id,
        role_map,
        problems: Vec::new(),
        visited: HashSet::new(),
        claimed: HashMap::new(),
        headings: Vec::new(),
        roles: BTreeMap::new(),
    };
    let tops = one_or_many(pdf, root.get(b"K").ok());
    if tops.is_empty() {
        walk.problems
            .push("StructTreeRoot: no /K (an empty structure tree)".into());
    }
    for top in tops {
        match top.as_reference() {
            Ok(id) => walk.element(id, walk.root, "StructTreeRoot"),
            Err(_) => walk
                .problems
                .push(format!("StructTreeRoot: kid {top:?} is not a reference")),
        }
    }
    problems.append(&mut walk.problems);

    // Every element in the file is in the tree, so its /P chain reaches the root.
    for (&id, obj) in &pdf.doc.objects {
        if let Object::Dictionary(d) = obj
            && d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"StructElem")
            && !walk.visited.contains(&id)
        {
            problems.push(format!(
                "StructElem {id:?}: not reachable from the StructTreeRoot"
            ));
        }
    }

    // Headings: the first is H1 and none skips a level going down (Matterhorn 14-002/3).
    if let Some((first, what)) = walk.headings.first()
        && *first != 1
    {
        problems.push(format!(
            "headings: the first heading, {what}, is H{first}, not H1"
        ));
    }
    for pair in walk.headings.windows(2) {
        let [(before, prev), (level, what)] = pair else {
            continue;
        };
        if *level > before + 1 {
            problems.push(format!(
                "headings: H{level} {what} follows H{before} {prev} (a level skipped)"
            ));
        }
    }

    // The parent tree maps each page's MCIDs back to the elements that claim them.
    let mut nums = BTreeMap::new();
    if let Some(tree) = pdf.get_dict(root, b"ParentTree") {
        number_tree(pdf, tree, &mut nums);
    } else {
        problems.push("StructTreeRoot: no /ParentTree".into());
    }
    for (i, &page) in pdf.pages.iter().enumerate() {
        let n = i + 1;
        let mcids = &contents[i].mcids;
        let Some(key) = keys[i] else { continue };
        let array = nums
            .get(&key)
            .and_then(|a| pdf.resolve(a))
            .and_then(|a| a.as_array().ok());
        let Some(array) = array else {
            if !mcids.is_empty() {
                problems.push(format!(
                    "page {n}: no parent-tree array under /StructParents {key}"
                ));
            }
            continue;
        };
        for (&mcid, tag) in mcids {
            let owner = usize::try_from(mcid)
                .ok()
                .and_then(|m| array.get(m))
                .and_then(|o| o.as_reference().ok());
            let claimed = walk.claimed.get(&(page, mcid)).copied();
            match (owner, claimed) {
                (None, _) => problems.push(format!(
                    "page {n}: parent tree entry {mcid} (/{tag}) is not a reference"
                )),
                (Some(o), None) => problems.push(format!(
                    "page {n}: MCID {mcid} (/{tag}) is owned by {o:?} in the parent tree \
                     but no structure element has it as a kid"
                )),
                (Some(o), Some(c)) if o != c => problems.push(format!(
                    "page {n}: MCID {mcid} (/{tag}) is owned by {o:?} in the parent tree \
                     but is a kid of {c:?}"
                )),
                _ => {}
            }
        }
        for (mcid, entry) in array.iter().enumerate() {
            if !entry.is_null() && !mcids.contains_key(&(mcid as i64)) {
                problems.push(format!(
                    "page {n}: parent tree entry {mcid} is {entry:?} but the page has no MCID {mcid}"
                ));
            }
        }
    }
    for (&(page, mcid), elem) in &walk.claimed {
        let known = pdf
            .page_number(page)
            .map(|n| contents[n - 1].mcids.contains_key(&mcid));
        if known != Some(true) {
            problems.push(format!(
                "StructElem {elem:?}: kid MCID {mcid} on page {page:?} (page number {:?}) \
                 is not in that page's content",
                pdf.page_number(page)
            ));
        }
    }
    report.headings = walk.headings.iter().map(|(level, _)| *level).collect();
    report.roles = walk.roles;
}

/// Annotations of the pages that carry a `/StructParent`.
fn tagged_annotations(pdf: &Pdf) -> usize {
    let mut n = 0;
    for &page in &pdf.pages {
        let Ok(dict) = pdf.doc.get_dictionary(page) else {
            continue;
        };
        let Ok(annots) = dict.get(b"Annots").and_then(|a| pdf.doc.dereference(a)) else {
            continue;
        };
        let Ok(list) = annots.1.as_array() else {
            continue;
        };
        for a in list {
            if let Ok((_, obj)) = pdf.doc.dereference(a)
                && let Ok(d) = obj.as_dict()
                && d.has(b"StructParent")
            {
                n += 1;
            }
        }
    }
    n
}
