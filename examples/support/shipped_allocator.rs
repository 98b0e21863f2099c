//! Under WASI, the allocator of the shipped wasm build (see Cargo.toml's WASI dev-dependencies).

#[cfg(target_os = "wasi")]
#[global_allocator]
static SHIPPED: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;
