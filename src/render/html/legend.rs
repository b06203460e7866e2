//! The key to a redline, at the top of its text: what marks an insertion and a
//! deletion, in words as well as in colour, with a sample of each.

pub fn push_legend(out: &mut String) {
    out.push_str(
        "<section class=\"legend\" aria-labelledby=\"legend-h\">\n\
         <h2 id=\"legend-h\">How to read this redline</h2>\n\
         <ul>\n\
         <li>Text the later version adds is underlined and shown in green: \
         <ins><span class=\"sr\">[inserted: </span>inserted words<span class=\"sr\">]</span></ins>.</li>\n\
         <li>Text the later version removes is struck through and shown in red: \
         <del><span class=\"sr\">[deleted: </span>deleted words<span class=\"sr\">]</span></del>.</li>\n\
         <li>Screen readers announce each change as \u{201c}inserted\u{201d} or \u{201c}deleted\u{201d}, \
         with its words in brackets.</li>\n\
         </ul>\n\
         </section>\n",
    );
}
