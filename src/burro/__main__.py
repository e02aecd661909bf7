from burro.cli.main import main

raise SystemExit(main())
