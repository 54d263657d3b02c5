//! Generates the parser from src/grammar.lalrpop into OUT_DIR.

fn main() {
    println!("cargo:rerun-if-changed=src/grammar.lalrpop");
    if let Err(err) = lalrpop::Configuration::new().set_in_dir("src").process() {
        eprintln!("lalrpop failed: {err}");
        std::process::exit(1);
    }
}
