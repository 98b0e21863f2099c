//! A small argument reader: `--name value`, `--name=value` and positionals. Unknown options are
//! errors, so a typo never silently changes behaviour.

use std::collections::HashMap;

pub struct Args {
    named: HashMap<String, String>,
    pub positional: Vec<String>,
}

impl Args {
    pub fn parse(raw: &[String], known: &[&str]) -> Result<Self, String> {
        let mut named = HashMap::new();
        let mut positional = Vec::new();
        let mut it = raw.iter();
        while let Some(arg) = it.next() {
            if let Some(opt) = arg.strip_prefix("--") {
                let (name, value) = match opt.split_once('=') {
                    Some((n, v)) => (n.to_string(), v.to_string()),
                    None => {
                        let v = it.next().ok_or_else(|| format!("--{opt} needs a value"))?;
                        (opt.to_string(), v.clone())
                    }
                };
                if !known.contains(&name.as_str()) {
                    return Err(format!("unknown option --{name}"));
                }
                named.insert(name, value);
            } else {
                positional.push(arg.clone());
            }
        }
        Ok(Args { named, positional })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.named.get(name).map(String::as_str)
    }

    pub fn require(&self, name: &str) -> Result<&str, String> {
        self.get(name)
            .ok_or_else(|| format!("--{name} is required"))
    }
}
