//! A realistic, hand-built agreement of about ten pages, for tests and benchmarks of
//! the PDF writer. Not part of the public API.

use crate::document::{Align, Article, BLANK, Block, Document, List, Run, Signatory, Style, Table};

/// Inline text with `**bold**` and `*italic*` markers, `\n` as a hard line break and
/// `{blank}` as a draft blank.
pub fn inlines(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut style = Style::default();
    let mut buf = String::new();
    let flush = |buf: &mut String, style: Style, out: &mut Vec<Run>| {
        if !buf.is_empty() {
            out.push(Run {
                text: std::mem::take(buf),
                style,
            });
        }
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("**") {
            flush(&mut buf, style, &mut out);
            style.bold = !style.bold;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{blank}") {
            flush(&mut buf, style, &mut out);
            out.push(Run {
                text: BLANK.to_string(),
                style: Style {
                    blank: true,
                    ..style
                },
            });
            rest = r;
        } else if c == '*' {
            flush(&mut buf, style, &mut out);
            style.italic = !style.italic;
            rest = &rest[1..];
        } else if c == '\n' {
            flush(&mut buf, style, &mut out);
            out.push(Run {
                text: String::new(),
                style: Style {
                    line_break: true,
                    ..Style::default()
                },
            });
            rest = &rest[1..];
        } else {
            buf.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    flush(&mut buf, style, &mut out);
    out
}

fn p(text: &str) -> Block {
    Block::Paragraph(inlines(text))
}

fn h(number: &str, text: &str) -> Block {
    Block::Heading {
        level: 1,
        number: Some(number.to_string()),
        text: inlines(text),
    }
}

fn ol(items: Vec<Vec<Block>>) -> Block {
    Block::List(List {
        start: Some(1),
        items,
    })
}

fn ul(items: Vec<Vec<Block>>) -> Block {
    Block::List(List { start: None, items })
}

fn item(text: &str) -> Vec<Block> {
    vec![p(text)]
}

fn cells(row: &[&str]) -> Vec<Vec<Run>> {
    row.iter().map(|c| inlines(c)).collect()
}

fn article(id: &str, number: Option<u32>, title: &str, blocks: Vec<Block>) -> Article {
    Article {
        id: id.to_string(),
        version: "1.0.0".to_string(),
        number,
        title: title.to_string(),
        blocks,
    }
}

/// The fixture agreement (final, no watermark).
pub fn agreement() -> Document {
    let district = "West Hartford Public Schools";
    let department = "West Hartford Police Department";
    let articles = vec![
        article(
            "recitals",
            None,
            "Recitals",
            vec![
                p(
                    "This School Resource Officer Agreement (the \u{201c}**Agreement**\u{201d}) is entered into as of August 9, 2022, by and between the **West Hartford Public Schools** (the \u{201c}District\u{201d}), a public school district organized under the laws of the State of Connecticut, and the **West Hartford Police Department** (the \u{201c}Department\u{201d}), a department of the Town of West Hartford.",
                ),
                p(
                    "*Whereas*, the District and the Department share a commitment to providing a safe and supportive learning environment for students, staff and visitors, and recognise that a safe school climate is essential to teaching and learning;",
                ),
                p(
                    "*Whereas*, the parties wish to define the role of sworn law-enforcement officers assigned to District schools, to make clear that those officers are not to be involved in the enforcement of school disciplinary rules, and to set out the training, supervision, funding and accountability that will govern the program;",
                ),
                p(
                    "*Whereas*, Connecticut law requires that any agreement placing a school resource officer in a public school be in writing, define the relationship between the officer and school administration, and be reviewed periodically by the parties; and",
                ),
                p(
                    "*Now, therefore*, in consideration of the mutual promises set out below, and intending to be legally bound, the District and the Department agree as follows.",
                ),
            ],
        ),
        article(
            "definitions",
            Some(1),
            "Definitions",
            vec![
                p(
                    "In this Agreement the following terms have the meanings given below. Words in the singular include the plural and the reverse, and headings are for convenience only and do not affect interpretation.",
                ),
                ol(vec![
                    item(
                        "**School Resource Officer** or **SRO** means a certified police officer employed by the Department and assigned by the Chief of Police to one or more District schools under this Agreement.",
                    ),
                    item(
                        "**School Administrator** means the principal of a school served under this Agreement or the principal\u{2019}s designee, including an assistant principal or dean of students.",
                    ),
                    item(
                        "**School Year** means the period from the first to the last day on which students are required to attend school, as set by the District\u{2019}s adopted calendar.",
                    ),
                    item(
                        "**Student Records** means education records as defined by the Family Educational Rights and Privacy Act, 20 U.S.C. \u{a7} 1232g, and its implementing regulations.",
                    ),
                    item(
                        "**Law-Enforcement Matter** means conduct that would constitute a crime under federal or state law or a violation of a municipal ordinance, as distinct from a violation of a school rule or the student code of conduct.",
                    ),
                ]),
                p(
                    "Any term not defined in this Article has the meaning it has in the District\u{2019}s board policies or, failing that, its ordinary meaning in context.",
                ),
            ],
        ),
        article(
            "term",
            Some(2),
            "Term and Renewal",
            vec![
                p(
                    "This Agreement takes effect on August 9, 2022 and remains in force until June 30, 2023, unless terminated earlier under Article XV. It renews for successive one-year terms unless either party gives written notice of non-renewal at least sixty days before the end of the then-current term.",
                ),
                p(
                    "Before each renewal the parties shall meet to review the operation of the program, including the data reported under Article IX, any complaints received, and the views of students, families and staff gathered through the District\u{2019}s annual school climate survey. The parties shall record in writing any change they agree to make as a result of that review.",
                ),
                p(
                    "Nothing in this Article obliges either party to renew. A decision not to renew requires no statement of reasons and gives rise to no liability, provided that notice is given in time.",
                ),
            ],
        ),
        article(
            "duties",
            Some(3),
            "Duties of the Officer",
            vec![
                h("3.1", "Role"),
                p(
                    "The primary role of the SRO is to promote the safety of students, staff and visitors, to build positive relationships with students, and to serve as a resource on law-related matters. The SRO is not a school disciplinarian and shall not be asked to enforce school rules, the dress code or the student code of conduct, nor to act as a substitute for school counselling, mental-health or administrative staff.",
                ),
                p(
                    "The SRO shall be visible and approachable, shall attend school events where the School Administrator and the Department agree that attendance serves the purposes of this Agreement, and shall treat every student with dignity and respect, without regard to race, colour, religion, national origin, sex, sexual orientation, gender identity, disability or immigration status.",
                ),
                h("3.2", "Responsibilities"),
                p("Subject to the limits in Section 3.3, the SRO shall:"),
                ol(vec![
                    vec![
                        p(
                            "respond to Law-Enforcement Matters on school grounds and, where a matter can be resolved without arrest, favour diversion, restorative practices and referral to community services, including:",
                        ),
                        ol(vec![
                            item(
                                "referral to the juvenile review board of the Town of West Hartford;",
                            ),
                            item(
                                "referral to the District\u{2019}s student assistance team or school-based health centre; and",
                            ),
                            item(
                                "a conference with the student, the student\u{2019}s parent or guardian and the School Administrator.",
                            ),
                        ]),
                    ],
                    item(
                        "consult with the School Administrator on the safety aspects of emergency operations plans, drills and building security, and take part in the District\u{2019}s crisis-response team when it is convened;",
                    ),
                    item(
                        "provide instruction on law-related topics, such as internet safety, impaired driving and the juvenile justice system, when invited by a teacher and with the approval of the School Administrator;",
                    ),
                    item(
                        "maintain the confidentiality of student information in accordance with Article IX and applicable law; and",
                    ),
                    item(
                        "complete the incident reports required by the Department and share with the School Administrator, to the extent permitted by law, information needed to keep the school community safe.",
                    ),
                ]),
                h("3.3", "Limits"),
                p(
                    "The SRO shall not conduct or take part in the search of a student or a student\u{2019}s property at the request of school staff for the purpose of enforcing school rules. The SRO may conduct a search only in accordance with the Fourth Amendment standards that apply to police officers, and only in connection with a Law-Enforcement Matter.",
                ),
                p(
                    "The SRO shall not question a student about a matter that may lead to criminal charges without first complying with the Department\u{2019}s policy on the interview of juveniles, which requires, among other things, that a reasonable attempt be made to notify the student\u{2019}s parent or guardian. The SRO shall not use physical restraint, chemical agents or an electronic control weapon on a student except where necessary to prevent imminent serious bodily harm.",
                ),
                ul(vec![
                    item(
                        "No SRO may be assigned to supervise detention, lunch periods or hallways as a routine duty.",
                    ),
                    item(
                        "No SRO may be asked to issue a citation for conduct that the student code of conduct addresses, such as disruption, truancy or profanity.",
                    ),
                    vec![
                        p(
                            "No SRO may wear or carry equipment beyond the Department\u{2019}s standard duty uniform without the agreement of the Superintendent, except:",
                        ),
                        ul(vec![
                            item("during a declared emergency; or"),
                            item("when responding to a call for service on school grounds."),
                        ]),
                    ],
                ]),
            ],
        ),
        article(
            "schools",
            Some(4),
            "Schools Served",
            vec![
                p(
                    "The Department shall assign SROs to the following schools. The District may ask that an assignment be changed by written notice to the Chief of Police, who shall consider the request in good faith; the Department will not reassign an SRO to a different school during the School Year except for operational necessity.",
                ),
                Block::Table(Table {
                    header: cells(&["School", "Level", "Address", "Officers"]),
                    rows: vec![
                        cells(&[
                            "Hall High School",
                            "High",
                            "975 North Main Street, West Hartford",
                            "1",
                        ]),
                        cells(&[
                            "Conard High School",
                            "High",
                            "110 Berkshire Road, West Hartford",
                            "1",
                        ]),
                        cells(&[
                            "King Philip Middle School",
                            "Middle",
                            "100 King Philip Drive, West Hartford",
                            "1",
                        ]),
                        cells(&[
                            "Sedgwick Middle School",
                            "Middle",
                            "128 Sedgwick Road, West Hartford",
                            "1",
                        ]),
                        cells(&[
                            "Bristow Middle School",
                            "Middle",
                            "34 Highland Street, West Hartford",
                            "{blank}",
                        ]),
                        cells(&[
                            "Supervising sergeant (all schools)",
                            "\u{2014}",
                            "103 Raymond Road, West Hartford",
                            "1",
                        ]),
                    ],
                    align: vec![Align::Left, Align::Left, Align::Left, Align::Right],
                }),
                p(
                    "During school vacations and on days when school is not in session, SROs shall perform regular Department duties and are not available to the District unless the parties agree otherwise in writing for a particular event.",
                ),
            ],
        ),
        article(
            "selection",
            Some(5),
            "Selection and Training",
            vec![
                p(
                    "The Chief of Police shall select SROs from officers who have at least three years of patrol experience, a record free of sustained complaints involving the use of force or bias in the preceding five years, and a demonstrated interest in working with young people. The Superintendent, or a designee, may take part in the interview of candidates and may decline to accept a candidate for reasons stated in writing.",
                ),
                p(
                    "Before assignment, and each year thereafter, every SRO shall complete training in the following subjects, of at least forty hours in total in the first year and sixteen hours in each later year:",
                ),
                ol(vec![
                    item("adolescent development and the effects of trauma on behaviour;"),
                    item("de-escalation, conflict resolution and restorative practices;"),
                    item(
                        "the rights of students with disabilities under the Individuals with Disabilities Education Act and Section 504 of the Rehabilitation Act of 1973;",
                    ),
                    item(
                        "implicit bias, cultural competence and the school-to-prison pipeline; and",
                    ),
                    item(
                        "the laws that govern searches, interviews and the confidentiality of Student Records in schools.",
                    ),
                ]),
                p(
                    "The Department shall bear the cost of the training described in this Article, and the District shall provide, at its own cost, orientation on its policies, its student code of conduct and its crisis-response procedures. Each party shall keep records of the training it provides and make them available to the other on request.",
                ),
            ],
        ),
        article(
            "supervision",
            Some(6),
            "Supervision and Evaluation",
            vec![
                p(
                    "SROs remain employees of the Department at all times, subject to the Department\u{2019}s chain of command, rules and regulations and to the collective bargaining agreement between the Town of West Hartford and the West Hartford Police Union. Nothing in this Agreement makes an SRO an employee or agent of the District.",
                ),
                p(
                    "The School Administrator shall meet with the SRO at least monthly to review school-safety issues and the SRO\u{2019}s activities. The Department shall evaluate each SRO annually and shall invite the School Administrator to contribute written comments to that evaluation, which the Department shall consider in good faith.",
                ),
                p(
                    "Complaints about an SRO\u{2019}s conduct, from any source, shall be referred to the Department\u{2019}s Office of Professional Standards and handled under its usual procedures. The Department shall inform the Superintendent of the outcome of any complaint that arises from the SRO\u{2019}s duties in a District school, to the extent permitted by law and the collective bargaining agreement.",
                ),
                p(
                    "Either party may ask that an SRO be removed from a school assignment. A request by the Superintendent shall be in writing and state its reasons; the Chief of Police shall act on it within ten school days and, if the request is refused, shall explain the refusal in writing.",
                ),
            ],
        ),
        article(
            "funding",
            Some(7),
            "Funding",
            vec![
                p(
                    "The annual cost of the program is **$182,000.00**, which covers the salaries, benefits and ordinary overtime of the assigned officers for ten months of service. The District shall pay seventy percent of that cost, being **$127,400.00**, and the Department shall bear the remaining thirty percent, being $54,600.00.",
                ),
                p(
                    "The District shall pay its share in the installments set out below, each within thirty days of receipt of an invoice from the Town of West Hartford that the Department has certified as correct:",
                ),
                Block::Table(Table {
                    header: cells(&["Installment", "Due date", "Percent", "Amount"]),
                    rows: vec![
                        cells(&["First", "May 1, 2023", "50%", "$63,700.00"]),
                        cells(&["Second", "November 1, 2023", "50%", "$63,700.00"]),
                        cells(&["**Total**", "", "**100%**", "**$127,400.00**"]),
                    ],
                    align: vec![Align::Left, Align::Left, Align::Right, Align::Right],
                }),
                p(
                    "Overtime worked at the request of the District for events outside the regular school day shall be paid by the District at the rate of $65.00 per hour, invoiced monthly in arrears with a statement of the dates, hours and events concerned. Overtime that the Department requires for its own purposes is its own responsibility.",
                ),
                p(
                    "If service stops before the end of a term, whether by termination, non-renewal or the Department\u{2019}s inability to staff an assignment for more than ten consecutive school days, the Department shall refund to the District, pro rata, any amount paid for service not provided. A price increase of up to three percent a year applies to any renewal term unless the parties agree otherwise in writing.",
                ),
            ],
        ),
        article(
            "insurance",
            Some(8),
            "Insurance and Indemnification",
            vec![
                p(
                    "Each party shall maintain, at its own expense, general liability insurance or a program of self-insurance with limits of not less than $1,000,000 per occurrence and $3,500,000 in the aggregate, and shall provide the other with a certificate of coverage on request. The Department\u{2019}s coverage shall name the District as an additional insured with respect to the acts and omissions of SROs in the performance of this Agreement.",
                ),
                p(
                    "To the fullest extent permitted by law, each party shall defend, indemnify and hold harmless the other, its officers, employees and agents from and against all claims, damages, losses and expenses, including reasonable attorneys\u{2019} fees, arising out of the negligent or wrongful acts or omissions of the indemnifying party or its officers, employees or agents in the performance of this Agreement.",
                ),
                p(
                    "Nothing in this Article waives any governmental immunity or defence available to either party under the laws of the State of Connecticut, and the obligations in this Article survive the expiry or termination of this Agreement for any claim arising from events that occurred while it was in force.",
                ),
            ],
        ),
        article(
            "records",
            Some(9),
            "Records, Data and Reporting",
            vec![
                p(
                    "SROs shall have access to Student Records only as permitted by the Family Educational Rights and Privacy Act and Connecticut law, and only where the District has designated the SRO as a school official with a legitimate educational interest for a specific purpose. Information obtained from Student Records shall not be used for a law-enforcement purpose except as the law allows.",
                ),
                p(
                    "The Department shall report to the Superintendent, within thirty days after the end of each semester, the number of arrests, summonses, referrals to juvenile court, uses of force and searches conducted by SROs on school grounds, each broken down by school, grade, race, ethnicity, sex and disability status, in a form that does not identify any student.",
                ),
                p(
                    "The parties shall publish a joint annual report on the program to the Board of Education and the Town Council, including the data described above, a summary of complaints and their outcomes, and any changes made to the program during the year. The first report is due on {blank}.",
                ),
            ],
        ),
        article(
            "discipline",
            Some(10),
            "Student Discipline",
            vec![
                p(
                    "School discipline is the exclusive responsibility of the District. The SRO shall not be involved in the investigation or decision of any disciplinary matter, except as a witness to a Law-Enforcement Matter, and school staff shall not call on an SRO to address conduct that the student code of conduct covers, however disruptive it may be.",
                ),
                p(
                    "Where a student\u{2019}s conduct is both a violation of school rules and a Law-Enforcement Matter, the School Administrator and the SRO shall confer on the most appropriate response, with a strong preference for responses that keep the student in school and out of the juvenile justice system, consistent with the safety of the school community.",
                ),
            ],
        ),
        article(
            "arrests",
            Some(11),
            "Arrests and Use of Force",
            vec![
                h("11.1", "Arrests on school grounds"),
                p(
                    "An SRO shall make a custodial arrest of a student on school grounds only where there is probable cause to believe that the student has committed a felony, where an arrest is necessary to protect the safety of the student or others, or where a warrant or court order requires it. Wherever practicable the arrest shall be made out of view of other students and at a time that minimises disruption to the school day.",
                ),
                p(
                    "Before any arrest of a student, the SRO shall notify the School Administrator unless doing so would endanger any person or compromise an investigation, in which case the SRO shall notify the School Administrator as soon as possible afterwards. The School Administrator shall notify the student\u{2019}s parent or guardian without delay.",
                ),
                h("11.2", "Use of force"),
                p(
                    "The SRO shall use force only in accordance with the Department\u{2019}s use-of-force policy and the statute that governs it, which provides in relevant part:",
                ),
                Block::Quote(vec![p(
                    "*A peace officer is justified in using physical force upon another person only when and to the extent that the officer reasonably believes such force to be necessary to effect an arrest or to defend the officer or a third person from the use or imminent use of physical force, and only after the officer has exhausted reasonable alternatives to the use of force.*",
                )]),
                p(
                    "Every use of force on school grounds shall be reported to the Chief of Police and to the Superintendent within twenty-four hours, and reviewed by the Department\u{2019}s use-of-force review board in the usual way. The Department shall share the outcome of the review with the Superintendent.",
                ),
            ],
        ),
        article(
            "emergencies",
            Some(12),
            "Emergency Response",
            vec![
                p(
                    "In an emergency that threatens the safety of a school, including an active threat, a fire, a hazardous-materials incident or a severe-weather event, the SRO acts under the direction of the Department\u{2019}s incident commander and in coordination with the School Administrator under the District\u{2019}s emergency operations plan. In such an emergency the SRO shall, as circumstances permit:",
                ),
                ul(vec![
                    item(
                        "take immediate action to protect life, including the evacuation or sheltering of students and staff;",
                    ),
                    item(
                        "establish communication with the Department\u{2019}s dispatch centre and relay accurate information about the location and nature of the threat;",
                    ),
                    item(
                        "assist first responders on arrival by providing building plans, keys and access credentials held by the District; and",
                    ),
                    item(
                        "support the reunification of students with their families at the location designated in the emergency operations plan.",
                    ),
                ]),
                p(
                    "The parties shall conduct at least one joint exercise in each School Year at a school served under this Agreement, and shall review the emergency operations plan of each such school together at least once every two years.",
                ),
            ],
        ),
        article(
            "facilities",
            Some(13),
            "Facilities and Equipment",
            vec![
                p(
                    "The District shall provide each SRO with a private office at the assigned school, with a lockable filing cabinet, a telephone and access to the District\u{2019}s guest wireless network. The office shall be located where students can find and reach the SRO easily, and shall not be used to hold students in custody or to interview students who are suspected of a crime, except in an emergency.",
                ),
                p(
                    "The Department shall provide each SRO with a vehicle, a radio, a uniform and the equipment that officers of the same rank ordinarily carry, and shall maintain them at its own cost. The District shall provide, at its own cost, any identification badge, key or access card that staff at the school ordinarily carry.",
                ),
                p(
                    "Each party remains the owner of the property it provides. On the end of an assignment the SRO shall return to the District all keys, access cards and records of the District in the SRO\u{2019}s possession.",
                ),
            ],
        ),
        article(
            "disputes",
            Some(14),
            "Dispute Resolution",
            vec![
                p(
                    "The parties shall try in good faith to resolve any dispute about this Agreement by negotiation between the Superintendent and the Chief of Police. If the dispute is not resolved within thirty days after either party gives notice of it, the following steps apply in order:",
                ),
                ol(vec![
                    item(
                        "the dispute shall be referred to the Chair of the Board of Education and the Town Manager, who shall meet within fifteen days;",
                    ),
                    item(
                        "if they cannot resolve it within a further thirty days, the parties shall submit the dispute to non-binding mediation with a mediator they choose together, whose fees they shall share equally; and",
                    ),
                    item(
                        "if mediation fails, either party may bring proceedings in the courts named in Section 17.2.",
                    ),
                ]),
                p(
                    "Pending the resolution of a dispute, each party shall continue to perform its obligations under this Agreement, unless the dispute concerns the safety of students, in which case the Superintendent may suspend the assignment of an SRO to a school until the dispute is resolved.",
                ),
            ],
        ),
        article(
            "termination",
            Some(15),
            "Termination",
            vec![
                p(
                    "Either party may terminate this Agreement without cause on seven days\u{2019} written notice to the other. Either party may terminate this Agreement for cause immediately on written notice if the other party materially breaches it and fails to cure the breach within ten days after receiving notice describing it in reasonable detail.",
                ),
                p(
                    "On termination the District shall pay for services properly provided up to the date of termination, and the Department shall refund any amount paid for services not yet provided, in each case within forty-five days. Articles VIII, IX and XVII survive termination.",
                ),
            ],
        ),
        article(
            "notices",
            Some(16),
            "Notices",
            vec![
                p(
                    "Notices under this Agreement shall be in writing and delivered by hand, by certified mail with return receipt, or by email with confirmation of receipt, to the following addresses or to any other address a party designates by notice:",
                ),
                p(
                    "**To the District:**\nSuperintendent of Schools\nWest Hartford Public Schools\n50 South Main Street\nWest Hartford, CT 06107",
                ),
                p(
                    "**To the Department:**\nChief of Police\nWest Hartford Police Department\n103 Raymond Road\nWest Hartford, CT 06107",
                ),
                p(
                    "A notice is effective on receipt, or on the third business day after mailing by certified mail if receipt is refused or cannot be confirmed.",
                ),
            ],
        ),
        article(
            "miscellaneous",
            Some(17),
            "Miscellaneous",
            vec![
                h("17.1", "Entire agreement"),
                p(
                    "This Agreement is the entire agreement of the parties on its subject and supersedes all earlier agreements and understandings, written or oral, on that subject. It may be amended only by a written instrument signed by both parties.",
                ),
                h("17.2", "Governing law"),
                p(
                    "This Agreement is governed by the laws of the State of Connecticut, without regard to its conflict-of-laws rules. The courts of the State of Connecticut sitting in the Judicial District of Hartford have exclusive jurisdiction over any dispute arising from it.",
                ),
                h("17.3", "Severability"),
                p(
                    "If any provision of this Agreement is held invalid or unenforceable, the remaining provisions remain in full force, and the invalid or unenforceable provision shall be replaced by a valid provision that comes closest to the parties\u{2019} original intent.",
                ),
                h("17.4", "No third-party beneficiaries"),
                p(
                    "This Agreement is for the benefit of the parties only. Nothing in it confers any right, remedy or claim on any other person, including any student, parent or employee of either party.",
                ),
                h("17.5", "Counterparts"),
                p(
                    "This Agreement may be signed in counterparts, each of which is an original and all of which together are one instrument. Signatures delivered electronically or by facsimile are as effective as originals.",
                ),
            ],
        ),
        article(
            "signatures",
            None,
            "Signatures",
            vec![
                p(
                    "*In witness whereof*, the parties have caused this Agreement to be signed by their duly authorised representatives as of the date first written above.",
                ),
                Block::Signatures(vec![
                    Signatory {
                        party: district.to_string(),
                        name: "Andrew Morrow".to_string(),
                        title: "Interim Superintendent".to_string(),
                        date: Some("August 9, 2022".to_string()),
                    },
                    Signatory {
                        party: department.to_string(),
                        name: "Vernon Riddick, Jr.".to_string(),
                        title: "Chief of Police".to_string(),
                        date: Some("August 9, 2022".to_string()),
                    },
                    Signatory {
                        party: "Town of West Hartford".to_string(),
                        name: "Rick Ledwith".to_string(),
                        title: "Town Manager".to_string(),
                        date: None,
                    },
                ]),
            ],
        ),
    ];
    Document {
        title: "School Resource Officer Agreement".to_string(),
        short_title: "SRO Agreement \u{2014} West Hartford".to_string(),
        parties: vec![district.to_string(), department.to_string()],
        subtitle: format!("between {district} and the {department}"),
        date: Some("August 9, 2022".to_string()),
        date_iso: crate::date::Date::new(2022, 8, 9),
        draft: false,
        language: "en-US".to_string(),
        subject: "School resource officer program for West Hartford schools, 2022\u{2013}2023"
            .to_string(),
        articles,
    }
}

/// The same agreement as a draft (watermarked).
pub fn draft_agreement() -> Document {
    Document {
        draft: true,
        ..agreement()
    }
}
