fn main() {
    // Each app command gets an allow-<command> permission; capabilities/default.json grants exactly
    // these and nothing of Tauri's own plugins.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "set_setting",
        "list_customers",
        "search_customers",
        "get_customer",
        "create_customer",
        "update_customer",
        "delete_customer",
        "restore_customer",
        "load_demo",
        "choose_import_file",
        "preview_import",
        "run_import",
        "cancel_import",
        "list_imports",
        "undo_import",
        "import_fields",
        "export_customers",
        "log_touchpoint",
        "inbox",
        "reply_touchpoint",
        "set_touchpoint_status",
        "set_touchpoint_sentiment",
        "timeline",
        "listening_overview",
        "reply_targets",
        "set_reply_target",
        "add_purchase",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri build configuration");
}
