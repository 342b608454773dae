//! The generated metadata carries what the model knows, so that no consumer re-derives it: each
//! family's operations by kind, its key paths, and the service's reference order.

use akixi_client::akixi::SERVICE;
use akixi_client::runtime::akixi_ws::OpKind;

#[test]
fn a_familys_operation_of_a_kind_is_the_services() {
    for fam in SERVICE.families {
        for (_, kind) in OpKind::ALL {
            let found = SERVICE
                .operations
                .iter()
                .find(|o| o.family == fam.name && o.kind == *kind);
            assert_eq!(
                fam.operation(*kind).map(|o| o.name),
                found.map(|o| o.name),
                "{} {kind:?}",
                fam.name
            );
        }
        // They point into the service's own operations.
        for op in fam.operations {
            assert!(SERVICE.operations.iter().any(|o| std::ptr::eq(o, *op)));
        }
    }
}

#[test]
fn key_paths_name_the_keys() {
    for fam in SERVICE.families {
        let names: Vec<&str> = fam.keys.iter().map(|k| fam.properties[*k].name).collect();
        assert_eq!(fam.key_paths, names.as_slice(), "{}", fam.name);
        for path in fam.key_paths {
            assert!(fam.property(path).is_some(), "{}.{path}", fam.name);
        }
    }
}

#[test]
fn a_family_comes_after_every_family_it_references() {
    let order = SERVICE.families_in_reference_order();
    assert_eq!(order.len(), SERVICE.families.len());
    let at = |name: &str| order.iter().position(|f| f.name == name);
    for (i, fam) in order.iter().enumerate() {
        assert_eq!(fam.reference_rank, i);
        for target in fam.properties.iter().filter_map(|p| p.references) {
            if target != fam.name {
                assert!(at(target) < Some(i), "{} before {target}", fam.name);
                let t = SERVICE.family(target).expect("a referenced family");
                assert!(t.reference_depth < fam.reference_depth);
            }
        }
    }
}
