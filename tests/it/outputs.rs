//! No output carries a path of the machine it was made on: the agreements are compiled
//! from absolute paths in a temporary folder, from another folder, and every document
//! and the SARIF log are searched for that folder (issue 18).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xlic"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run xlic")
}

fn copy(from: &str, to: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(src, to).unwrap();
}

/// Every output, written from absolute paths: the bytes of each, by name.
fn outputs(deals: &Path, cwd: &Path, out: &Path) -> Vec<(String, Vec<u8>)> {
    let good = deals.join("acme_globex.xlic");
    let good = good.to_str().unwrap();
    let warned = deals.join("one_way.xlic");
    let warned = warned.to_str().unwrap();
    let folder = deals.to_str().unwrap();
    let mut all = Vec::new();
    for emit in ["json", "markdown", "html", "odrl", "docx"] {
        for input in [good, warned] {
            let dir = out.join(format!("{emit}-{}", all.len()));
            let o = run(
                cwd,
                &["build", "--emit", emit, "-o", dir.to_str().unwrap(), input],
            );
            assert_eq!(o.status.code(), Some(0), "{emit} {input}: {o:?}");
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                all.push((
                    format!("build --emit {emit} {input}"),
                    std::fs::read(path).unwrap(),
                ));
            }
        }
    }
    for format in ["json", "sarif", "short", "human"] {
        let o = run(
            cwd,
            &[
                "check",
                "--message-format",
                format,
                "--color",
                "never",
                folder,
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{format}: {o:?}");
        let text = [o.stdout, o.stderr].concat();
        assert!(!text.is_empty());
        // The terminal formats and JSON lines name files as they were named to xlic
        // (an absolute path stays one, so a tool on this machine can open it); SARIF is
        // uploaded elsewhere and holds none.
        if format == "sarif" {
            all.push((format!("check --message-format {format}"), text));
        }
    }
    for format in ["markdown", "html"] {
        let o = run(cwd, &["report", "--format", format, folder]);
        assert!(!o.stdout.is_empty(), "{format}: {o:?}");
        all.push((format!("report --format {format}"), o.stdout));
    }
    all
}

#[test]
fn no_output_names_the_folder_it_was_compiled_in() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    let deals = base.join("deals");
    copy("examples/acme_globex.xlic", &deals.join("acme_globex.xlic"));
    copy(
        "tests/fixtures/conflicts/err/W0404_one_way_cross_license.xlic",
        &deals.join("one_way.xlic"),
    );
    copy(
        "tests/fixtures/names/err/E0101_party_typo.xlic",
        &deals.join("typo.xlic"),
    );
    let cwd = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let secret = base.to_str().unwrap();
    let all = outputs(&deals, cwd.path(), out.path());
    assert!(all.len() >= 13, "{}", all.len());
    for (what, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(secret),
            "{what} holds the machine path `{secret}`"
        );
    }
    // The documents still say which file they come from, relative to the files compiled.
    let policy = all
        .iter()
        .find(|(w, _)| w.starts_with("build --emit json"))
        .unwrap();
    assert!(String::from_utf8_lossy(&policy.1).contains("\"acme_globex.xlic\""));
    let sarif = all.iter().find(|(w, _)| w.ends_with("sarif")).unwrap();
    assert!(String::from_utf8_lossy(&sarif.1).contains("deals/typo.xlic"));
}
