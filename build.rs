//! Generates the parser from grammar/xlic.lalrpop into OUT_DIR (never committed).

fn main() {
    println!("cargo:rerun-if-changed=grammar/xlic.lalrpop");
    if let Err(err) = lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .process()
    {
        eprintln!("lalrpop failed: {err}");
        std::process::exit(1);
    }
}
