const BANNER: &str = include_str!("../banner.txt");

fn main() {
    let settings = std::fs::read_to_string("Settings.toml").unwrap_or_default();
    let pages = std::fs::read_dir("templates").expect("templates");
    println!("{BANNER} {settings} {}", pages.count());
}
